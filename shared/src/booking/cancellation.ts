/** A listing's cancellation terms, shown to the client before they confirm. */
export interface CancellationPolicy {
  /** Free cancellation until this many hours before the start. */
  freeCancellationHours: number;
  /** Share of the price kept after that deadline, in whole percent (0–100). */
  lateCancellationPercent: number;
}

/**
 * How long a client keeps free cancellation after the co-op accepts a request that it answered
 * past the policy's cutoff (never beyond the start).
 */
export const FREE_AFTER_ACCEPTANCE_HOURS = 24;

/** When the request was sent and when the co-op accepted it (null: not yet, or booked instantly). */
export interface RequestAnswer {
  requestedAt: Date;
  acceptedAt: Date | null;
}

export interface CancellationOutcome {
  late: boolean;
  /** What the client still owes (kept by the co-op), in cents. */
  chargeCents: number;
  /** What goes back to the client, in cents. chargeCents + refundCents = priceCents. */
  refundCents: number;
  deadline: Date;
}

const HOUR = 3_600_000;

/**
 * When free cancellation ends: `freeCancellationHours` before the start. The client never loses
 * that window while waiting for the co-op: when a request sent before the cutoff is accepted after
 * it (or just before it), cancelling stays free until FREE_AFTER_ACCEPTANCE_HOURS after the
 * acceptance, and at most until the start. A request sent after the cutoff, and an instant
 * booking, follow the policy as the client saw it when booking.
 */
export function cancellationDeadline(policy: CancellationPolicy, startsAt: Date, answer?: RequestAnswer | null): Date {
  const cutoff = startsAt.getTime() - policy.freeCancellationHours * HOUR;
  if (!answer?.acceptedAt || answer.requestedAt.getTime() >= cutoff) return new Date(cutoff);
  const afterAcceptance = Math.min(startsAt.getTime(), answer.acceptedAt.getTime() + FREE_AFTER_ACCEPTANCE_HOURS * HOUR);
  return new Date(Math.max(cutoff, afterAcceptance));
}

/**
 * A co-op that cancels refunds everything. A client who cancels before the deadline pays nothing;
 * at or after it, the late percentage of the price, rounded half up to the cent.
 */
export function cancellationOutcome(
  policy: CancellationPolicy,
  input: { startsAt: Date; cancelledAt: Date; priceCents: number; by: 'client' | 'coop'; answer?: RequestAnswer | null },
): CancellationOutcome {
  const deadline = cancellationDeadline(policy, input.startsAt, input.answer);
  const late = input.by === 'client' && input.cancelledAt.getTime() >= deadline.getTime();
  const chargeCents = late ? Math.floor((input.priceCents * policy.lateCancellationPercent + 50) / 100) : 0;
  return { late, chargeCents, refundCents: input.priceCents - chargeCents, deadline };
}

/**
 * When the charge job (payments' visitsToCharge) charges a visit of a series to the saved card:
 * when free cancellation ends, at least a day before the visit; a request sent before its cutoff
 * and accepted late keeps its free time after the acceptance and is charged when that ends, at the
 * latest three hours before the visit. The job runs every few minutes, so it may come a little later.
 */
export function visitChargeAt(policy: Pick<CancellationPolicy, 'freeCancellationHours'>, startsAt: Date, answer?: RequestAnswer | null): Date {
  const start = startsAt.getTime();
  const due = start - Math.max(policy.freeCancellationHours, 24) * HOUR;
  if (!answer?.acceptedAt || answer.requestedAt.getTime() >= start - policy.freeCancellationHours * HOUR) return new Date(due);
  return new Date(Math.max(due, Math.min(start - 3 * HOUR, answer.acceptedAt.getTime() + FREE_AFTER_ACCEPTANCE_HOURS * HOUR)));
}
