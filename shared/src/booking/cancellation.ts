/** A listing's cancellation terms, shown to the client before they confirm. */
export interface CancellationPolicy {
  /** Free cancellation until this many hours before the start. */
  freeCancellationHours: number;
  /** Share of the price kept after that deadline, in whole percent (0–100). */
  lateCancellationPercent: number;
}

export interface CancellationOutcome {
  late: boolean;
  /** What the client still owes (kept by the co-op), in cents. */
  chargeCents: number;
  /** What goes back to the client, in cents. chargeCents + refundCents = priceCents. */
  refundCents: number;
  deadline: Date;
}

export function cancellationDeadline(policy: CancellationPolicy, startsAt: Date): Date {
  return new Date(startsAt.getTime() - policy.freeCancellationHours * 3_600_000);
}

/**
 * A co-op that cancels refunds everything. A client who cancels before the deadline pays nothing;
 * at or after it, the late percentage of the price, rounded half up to the cent.
 */
export function cancellationOutcome(
  policy: CancellationPolicy,
  input: { startsAt: Date; cancelledAt: Date; priceCents: number; by: 'client' | 'coop' },
): CancellationOutcome {
  const deadline = cancellationDeadline(policy, input.startsAt);
  const late = input.by === 'client' && input.cancelledAt.getTime() >= deadline.getTime();
  const chargeCents = late ? Math.floor((input.priceCents * policy.lateCancellationPercent + 50) / 100) : 0;
  return { late, chargeCents, refundCents: input.priceCents - chargeCents, deadline };
}
