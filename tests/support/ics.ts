/**
 * Reads the events of an iCalendar attachment as a calendar program would look them up: lines
 * unfolded (RFC 5545 §3.1), each VEVENT's properties by name with their parameters, and the
 * calendar's METHOD. Small on purpose: the tests assert what calendars match on (UID, SEQUENCE,
 * DTSTART, EXDATE, RECURRENCE-ID), not the whole grammar.
 */
export interface IcsEvent {
  uid: string;
  sequence: number;
  /** Every value of the property, with its parameters as written (`TZID=America/Toronto:20270301T090000`). */
  props: Map<string, string[]>;
  /** Excluded dates, each as written after the property's parameters, one per date. */
  exdates: string[];
}

export function readIcs(ics: string): { method: string | null; events: IcsEvent[] } {
  const lines = ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const method = lines.find((l) => l.startsWith('METHOD:'))?.slice('METHOD:'.length) ?? null;
  const events: IcsEvent[] = [];
  let current: Map<string, string[]> | null = null;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') current = new Map();
    else if (line === 'END:VEVENT' && current) {
      const exdates = (current.get('EXDATE') ?? []).flatMap((v) => {
        const [params, values] = [v.slice(0, v.lastIndexOf(':')), v.slice(v.lastIndexOf(':') + 1)];
        return values.split(',').map((d) => `${params.replace(/^;/, '')}:${d}`);
      });
      events.push({ uid: current.get('UID')?.[0]?.slice(1) ?? '', sequence: Number(current.get('SEQUENCE')?.[0]?.slice(1) ?? NaN), props: current, exdates });
      current = null;
    } else if (current) {
      const m = /^([A-Z-]+)([;:].*)$/.exec(line);
      if (m) current.set(m[1]!, [...(current.get(m[1]!) ?? []), m[2]!]);
    }
  }
  return { method, events };
}
