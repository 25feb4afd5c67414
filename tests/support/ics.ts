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

const ITIP_METHODS = new Set(['PUBLISH', 'REQUEST', 'CANCEL']);

/**
 * What an iCalendar attachment breaks of RFC 5545 (the calendar's grammar and required properties)
 * and RFC 5546 (iTIP: what a PUBLISH or CANCEL must carry for a calendar to file or remove the
 * event), as calendar programs check it: none means valid. Checked on every event:
 * UID, DTSTAMP in UTC, DTSTART, one ORGANIZER (mailto: with a CN), a SEQUENCE that fits a 32-bit
 * integer, and STATUS (CANCELLED in a METHOD:CANCEL; an event of a PUBLISH is CONFIRMED or CANCELLED);
 * every TZID has its VTIMEZONE; lines end in CRLF and fold at 75 octets.
 */
export function icsProblems(ics: string): string[] {
  const problems: string[] = [];
  const physical = ics.split('\r\n');
  if (physical.at(-1) !== '') problems.push('does not end with CRLF');
  if (/[^\r]\n/.test(ics)) problems.push('a line ends with LF alone, not CRLF');
  physical.forEach((l, i) => { if (Buffer.byteLength(l, 'utf8') > 75) problems.push(`line ${i + 1} is longer than 75 octets`); });
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean);
  if (lines[0] !== 'BEGIN:VCALENDAR' || lines.at(-1) !== 'END:VCALENDAR') problems.push('not one VCALENDAR');
  if (!lines.includes('VERSION:2.0')) problems.push('no VERSION:2.0');
  if (!lines.some((l) => l.startsWith('PRODID:'))) problems.push('no PRODID');
  const { method, events } = readIcs(ics);
  if (!method || !ITIP_METHODS.has(method)) problems.push(`METHOD ${method ?? 'missing'}`);
  const zones = new Set(lines.filter((l) => l.startsWith('TZID:')).map((l) => l.slice(5)));
  for (const tzid of new Set([...ics.matchAll(/;TZID=([^:;]+)/g)].map((m) => m[1]!))) if (!zones.has(tzid)) problems.push(`TZID ${tzid} has no VTIMEZONE`);
  if (!events.length) problems.push('no VEVENT');
  for (const ev of events) {
    const one = (name: string) => ev.props.get(name) ?? [];
    const at = `event ${ev.uid || '(no UID)'}`;
    for (const name of ['UID', 'DTSTAMP', 'DTSTART', 'ORGANIZER', 'SEQUENCE', 'STATUS']) if (one(name).length !== 1) problems.push(`${at}: ${one(name).length} ${name}`);
    if (one('DTSTAMP')[0] && !/^:\d{8}T\d{6}Z$/.test(one('DTSTAMP')[0]!)) problems.push(`${at}: DTSTAMP not in UTC`);
    const organizer = one('ORGANIZER')[0];
    if (organizer && !/^;(?:[^:]*;)?CN=[^;:]+(?:;[^:]*)?:mailto:[^@\s]+@[^@\s]+$/i.test(organizer)) problems.push(`${at}: ORGANIZER ${organizer} is not a named mailto: address`);
    if (!Number.isInteger(ev.sequence) || ev.sequence < 0 || ev.sequence > 2 ** 31 - 1) problems.push(`${at}: SEQUENCE ${ev.sequence} is not a 32-bit integer`);
    const status = one('STATUS')[0]?.slice(1);
    if (method === 'CANCEL' && status !== 'CANCELLED') problems.push(`${at}: STATUS ${status} in a CANCEL`);
    if (method === 'PUBLISH' && status !== 'CONFIRMED' && status !== 'CANCELLED') problems.push(`${at}: STATUS ${status} in a PUBLISH`);
  }
  return problems;
}

/** The UIDs each attachment of an email carries: an event must come in one file only, or calendars file it twice. */
export function uidsAcrossFiles(attachments: { filename: string; content: string }[] | undefined): string[] {
  return (attachments ?? []).filter((a) => a.filename.endsWith('.ics')).flatMap((a) => readIcs(a.content).events.map((ev) => ev.uid));
}

/** Every problem of every calendar file in these emails (icsProblems), and each event carried twice by one email. */
export function mailCalendarProblems(mails: { to: string; subject: string; attachments?: { filename: string; content: string }[] }[]): string[] {
  return mails.flatMap((m) => {
    const uids = uidsAcrossFiles(m.attachments);
    const twice = uids.filter((u, i) => uids.indexOf(u) !== i).map((u) => `${m.to} "${m.subject}": ${u} in two files`);
    const files = (m.attachments ?? []).filter((a) => a.filename.endsWith('.ics'))
      .flatMap((a) => icsProblems(a.content).map((p) => `${m.to} "${m.subject}" ${a.filename}: ${p}`));
    return [...twice, ...files];
  });
}
