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
