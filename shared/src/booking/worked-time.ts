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
