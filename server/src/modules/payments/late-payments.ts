import type { Db } from '@tissu/db';
import { requireSteward, type Actor } from '../../actor.js';
import type { PaymentGateway } from '../../plugins/stripe.js';
import { insertEvent, lockBooking, type BookingRow } from '../bookings/index.js';
import { enqueue } from '../notifications/index.js';
import { refundOf } from './refunds.js';
import * as repo from './repository.js';

/** Why the money was not wanted, as the email says it (notifications' RETURNED texts). */
export const returnedBecause = (b: BookingRow | undefined): 'expired' | 'cancelled' | 'already_paid' | 'not_payable' =>
  !b ? 'not_payable'
    : b.state === 'expired' ? 'expired'
    : b.state === 'cancelled_by_client' || b.state === 'cancelled_by_coop' || b.state === 'declined' ? 'cancelled'
    : b.state === 'paid' || b.state === 'completed' || b.state === 'no_show' ? 'already_paid'
    : 'not_payable';

/**
 * Money that arrived for a booking no longer waiting for it (markPaid left it `to_return`): refunded
 * at once and in full, platform fee and the co-op's transfer included, since the client got nothing;
 * through the same refund path as a cancellation (refundOf: one refund row, balanced entries, keys
 * derived from the payment, so a retry after a half-done try never refunds twice). The client is
 * emailed the amount and why. When Stripe does not answer the payment stays `to_return`, with the
 * error, on the stewards' ledger page, and the job tries again every minute.
 */
export function createLatePayments(deps: { db: Db; gateway: PaymentGateway; log: { warn(o: object, m: string): void }; now?: () => Date; wake?: () => void }) {
  const { db, gateway } = deps;
  const now = () => deps.now?.() ?? new Date();

  return {
    /** Refunds one payment owed back; false when there was nothing to do (already returned by another run). */
    async returnPayment(paymentId: string): Promise<boolean> {
      try {
        const done = await db.transaction(async (tx) => {
          const p = await repo.lockPayment(tx, { id: paymentId });
          if (p?.status !== 'to_return') return false;
          const b = await lockBooking(tx, p.bookingId);
          const because = returnedBecause(b);
          const refund = await refundOf(tx, gateway, p, { kind: 'late_payment', keptServiceCents: 0, reason: `Paid for a booking no longer awaiting payment (${because})`, actorId: null });
          if (!refund) return false;
          if (b) {
            await insertEvent(tx, { bookingId: b.id, actorId: null, actorRole: 'system', kind: 'transition', fromState: b.state, toState: b.state, reason: `Late payment returned in full (${because})` });
            await enqueue(tx, `booking:${b.id}:payment_returned:${p.id}`, {
              type: 'booking', message: 'payment_returned', bookingId: b.id, recipientId: b.clientId, reason: because, amountCents: refund.totalCents,
            });
          }
          return true;
        });
        if (done) deps.wake?.();
        return done;
      } catch (err) {
        // Kept for the stewards' page; the payment stays to return and the job asks again.
        await repo.updatePayment(db, paymentId, { lastError: String((err as Error).message).slice(0, 300) });
        deps.log.warn({ err, paymentId }, 'late payment not returned yet; the job tries again');
        return false;
      }
    },

    /** The job: every payment still owed back (received over 30 s ago, so the webhook's own try goes first). */
    async returnDue(limit = 50): Promise<{ returned: number; failed: number }> {
      const out = { returned: 0, failed: 0 };
      for (const p of await repo.paymentsToReturn(db, new Date(now().getTime() - 30_000), limit)) {
        if (await this.returnPayment(p.id)) out.returned++;
        else if ((await repo.findPayment(db, p.id))?.status === 'to_return') out.failed++;
      }
      return out;
    },

    /** What the stewards' page lists as money to return. */
    async toReturn(actor: Actor | null) {
      requireSteward(actor);
      const rows = await repo.paymentsToReturn(db, new Date(now().getTime() + 60_000), 500);
      return { payments: rows.map((p) => ({ paymentId: p.id, bookingId: p.bookingId, totalCents: p.totalCents, paidAt: p.paidAt!.toISOString(), lastError: p.lastError })) };
    },
  };
}

export type LatePayments = ReturnType<typeof createLatePayments>;
