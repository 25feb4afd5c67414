/**
 * Worked minutes recorded when a booking is completed. Each worker-member's minutes feed the
 * worker class of the patronage refund, so a number larger than the booking itself lasted is
 * either a typo or an overrun that the co-op must explain: no tolerance, a reason instead.
 */

/** The most minutes one worker can have delivered in a booking without a reason. */
export const maxWorkedMinutes = (startsAt: Date, endsAt: Date) => Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000);

/** The workers whose recorded minutes are more than the booking lasted. */
export function overBookedTime<T extends { minutes: number }>(hours: readonly T[], startsAt: Date, endsAt: Date): T[] {
  const max = maxWorkedMinutes(startsAt, endsAt);
  return hours.filter((h) => h.minutes > max);
}

/**
 * A worker reports her own minutes once the visit has started; the co-op confirms them. The bound
 * is generous (a visit that ran long is worth reporting, and the admin still confirms or corrects),
 * but a number far past the visit is a typo the form should catch.
 */
export const REPORT_MARGIN_MINUTES = 12 * 60;
export const maxReportedMinutes = (durationMinutes: number) => durationMinutes + REPORT_MARGIN_MINUTES;

/**
 * How long after a visit its worker still sees the client's address, notes and phone. Past it, the
 * list of her visits keeps the service, the time, the team and her minutes only: Québec's Law 25
 * asks that personal information be seen only by those who need it, and for as long as they do.
 */
export const VISIT_DETAILS_DAYS = 7;

/** The states of a visit a worker may report minutes on: work took place, or is taking place. */
export const REPORTABLE_STATES = ['paid', 'completed'] as const;
