/** What a person checks in a calendar invitation: what, when, and whether it cancels. */
export interface CalendarSummary {
  summary: string;
  start: string | null;
  end: string | null;
  cancelled: boolean;
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!) - instant;
}

/**
 * Reads an RFC 5545 date-time written in UTC ("20261203T150000Z"), as a date ("20261203"), or on
 * a zone's wall clock (`DTSTART;TZID=America/Toronto:20261208T090000`, as series events are).
 */
function icsInstant(line: { params: string; value: string } | undefined): string | null {
  const m = line ? /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(line.value) : null;
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', z] = m;
  const wall = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s);
  const zone = /;TZID=([^;:]+)/.exec(line!.params)?.[1];
  if (z || !zone) return new Date(wall).toISOString();
  // The wall time's instant: the offset found at a first guess, then again at the instant it gives.
  const first = wall - offsetAt(wall, zone);
  return new Date(wall - offsetAt(first, zone)).toISOString();
}

/** The first event of an .ics file: folded lines joined, escapes undone. */
export function calendarSummary(ics: string): CalendarSummary {
  const all = ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  // The event's own lines: a time zone block before it has DTSTARTs of its own (its rules' start).
  const event = all.slice(Math.max(0, all.indexOf('BEGIN:VEVENT')));
  const line = (lines: string[], name: string) => {
    const l = lines.find((x) => x.startsWith(`${name}:`) || x.startsWith(`${name};`));
    return l === undefined ? undefined : { params: l.slice(0, l.indexOf(':')), value: l.slice(l.indexOf(':') + 1) };
  };
  return {
    summary: (line(event, 'SUMMARY')?.value ?? '').replace(/\\([,;\\])/g, '$1').replace(/\\n/gi, ' '),
    start: icsInstant(line(event, 'DTSTART')),
    end: icsInstant(line(event, 'DTEND')),
    cancelled: line(all, 'METHOD')?.value === 'CANCEL',
  };
}
