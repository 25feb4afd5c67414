/** Absences and why someone cannot take a visit, in words, on the co-op's clock. */
import { m } from '$lib/paraglide/messages';
import { formatDateRange, formatSpan, lastDayEndingAt, localDate, startOfLocalDay } from '$lib/time';

/** "5 – 7 décembre 2026" for whole days, else "lundi 7 décembre 2026 à 9 h 00 – 12 h 00". */
export function absenceText(a: { startsAt: string; endsAt: string; allDay: boolean }, timeZone: string): string {
  if (!a.allDay) return formatSpan(a.startsAt, a.endsAt, timeZone);
  return formatDateRange(localDate(a.startsAt, timeZone), localDate(new Date(Date.parse(a.endsAt) - 1), timeZone));
}

/** Why a member cannot take a booking: away (with when), or on another visit (with when). */
export function unavailableText(u: { kind: 'away' | 'busy'; startsAt: string | null; endsAt: string | null }, timeZone: string): string {
  // A visit at another co-op comes without its times: busy then, no more.
  const { startsAt, endsAt } = u;
  if (startsAt === null || endsAt === null) return m.team_unavailable_busy_elsewhere();
  // An absence of whole days (midnight to midnight) reads as its days.
  const wholeDays = u.kind === 'away' && startOfLocalDay(localDate(startsAt, timeZone), timeZone).getTime() === Date.parse(startsAt) && lastDayEndingAt(endsAt, timeZone) !== null;
  const when = wholeDays ? absenceText({ startsAt, endsAt, allDay: true }, timeZone) : formatSpan(startsAt, endsAt, timeZone);
  return u.kind === 'away' ? m.team_unavailable_away({ when }) : m.team_unavailable_busy({ when });
}
