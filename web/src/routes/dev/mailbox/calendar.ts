/** What a person checks in a calendar invitation: what, when, and whether it cancels. */
export interface CalendarSummary {
  summary: string;
  start: string | null;
  end: string | null;
  cancelled: boolean;
}

/** Reads an RFC 5545 date-time written in UTC ("20261203T150000Z") or as a date ("20261203"). */
function icsInstant(value: string | undefined): string | null {
  const m = value ? /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value) : null;
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = m;
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`).toISOString();
}

/** The first event of an .ics file: folded lines joined, escapes undone. */
export function calendarSummary(ics: string): CalendarSummary {
  const lines = ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const field = (name: string) => {
    const line = lines.find((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`));
    return line?.slice(line.indexOf(':') + 1);
  };
  return {
    summary: (field('SUMMARY') ?? '').replace(/\\([,;\\])/g, '$1').replace(/\\n/gi, ' '),
    start: icsInstant(field('DTSTART')),
    end: icsInstant(field('DTEND')),
    cancelled: field('METHOD') === 'CANCEL',
  };
}
