/** Absences and why someone cannot take a visit, in words, on the co-op's clock. */
import { m } from '$lib/paraglide/messages';
import { formatDateRange, formatSpan, lastDayEndingAt, localDate, startOfLocalDay } from '$lib/time';

/** "5 – 7 décembre 2026" for whole days, else "lundi 7 décembre 2026 à 9 h 00 – 12 h 00". */
export function absenceText(a: { startsAt: string; endsAt: string; allDay: boolean }, timeZone: string): string {
  if (!a.allDay) return formatSpan(a.startsAt, a.endsAt, timeZone);
  return formatDateRange(localDate(a.startsAt, timeZone), localDate(new Date(Date.parse(a.endsAt) - 1), timeZone));
}

/** Why a member cannot take a booking: away (with when), or on another visit (with when). */
export function unavailableText(u: { kind: 'away' | 'busy'; startsAt: string; endsAt: string }, timeZone: string): string {
  // An absence of whole days (midnight to midnight) reads as its days.
  const wholeDays = u.kind === 'away' && startOfLocalDay(localDate(u.startsAt, timeZone), timeZone).getTime() === Date.parse(u.startsAt) && lastDayEndingAt(u.endsAt, timeZone) !== null;
  const when = wholeDays ? absenceText({ ...u, allDay: true }, timeZone) : formatSpan(u.startsAt, u.endsAt, timeZone);
  return u.kind === 'away' ? m.team_unavailable_away({ when }) : m.team_unavailable_busy({ when });
}
