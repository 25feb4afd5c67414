/** The cancellation terms' deadline in words, for the active locale. */
import { m } from '$lib/paraglide/messages';
import { formatDateTimeIn, oneFullStop } from '$lib/time';

/**
 * "Soit jusqu'au …" while free cancellation lasts; once past (a booking made after its deadline,
 * or read later), that it has passed and when it ended, as the cancel form says it.
 */
export function freeCancellationDeadlineText(t: { deadline: string; timeZone: string; extended: boolean; coop: boolean; now: string }): string {
  const date = formatDateTimeIn(t.deadline, t.timeZone);
  if (Date.parse(t.deadline) <= Date.parse(t.now)) return oneFullStop(m.cancel_terms_deadline_passed({ date }));
  return oneFullStop(!t.extended ? m.cancel_terms_deadline({ date }) : t.coop ? m.cancel_terms_deadline_extended_coop({ date }) : m.cancel_terms_deadline_extended({ date }));
}

/**
 * Whether the cancellation terms say that free cancellation goes on after a late acceptance: only
 * where it can apply (shared cancellationDeadline gives that time only to a request sent before the
 * limit): a request, not an instant booking; still waiting for its answer, when it is a booking
 * (once accepted its deadline says the outcome); sent, or to be sent now, before the limit.
 */
export function graceAfterAcceptanceApplies(t: {
  request: boolean; freeCancellationHours: number; requestedAt?: string | null; startsAt?: string | null; deadline?: string | null;
}): boolean {
  if (!t.request || t.freeCancellationHours <= 0) return false;
  const limit = t.startsAt ? Date.parse(t.startsAt) - t.freeCancellationHours * 3_600_000 : t.deadline ? Date.parse(t.deadline) : null;
  return !t.requestedAt || limit === null || Date.parse(t.requestedAt) < limit;
}
