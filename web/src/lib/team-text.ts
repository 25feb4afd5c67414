/** Absences and why someone cannot take a visit, in words, on the co-op's clock. */
import { m } from '$lib/paraglide/messages';
import { formatDateRange, formatSpan, localDate } from '$lib/time';

/** "5 – 7 décembre 2026" for whole days, else "lundi 7 décembre 2026 à 9 h 00 – 12 h 00". */
export function absenceText(a: { startsAt: string; endsAt: string; allDay: boolean }, timeZone: string): string {
  if (!a.allDay) return formatSpan(a.startsAt, a.endsAt, timeZone);
  return formatDateRange(localDate(a.startsAt, timeZone), localDate(new Date(Date.parse(a.endsAt) - 1), timeZone));
}

/** Why a member cannot take a booking: away (with when), or on another visit (with when). */
export function unavailableText(u: { kind: 'away' | 'busy'; startsAt: string; endsAt: string }, timeZone: string): string {
  const when = formatSpan(u.startsAt, u.endsAt, timeZone);
  return u.kind === 'away' ? m.team_unavailable_away({ when }) : m.team_unavailable_busy({ when });
}
