import type { BookingState } from '@tissu/shared';
import { requireActor, type Actor } from '../actor.js';
import { conflict, HttpError } from '../errors.js';
import type { PaymentGateway } from '../plugins/stripe.js';
import { coopAcceptedAt, createBookingsService, type BookingsDeps } from '../modules/bookings/index.js';
import { closeOpenCheckouts, keptOnCancellation, keptOnNoShow, paymentAccount, refundPayment } from '../modules/payments/index.js';
import { skipDate, visitCancelledAlone, visitMoved } from '../modules/series/index.js';

/**
 * The booking transitions that touch the money: accepting needs the co-op's payment account,
 * cancelling closes the open Checkout or refunds under the booking's policy, expiring closes the
 * Checkout first. Each runs inside the booking's one transaction, and a visit of a series cancelled
 * or moved on its own is written into its series' history there too.
 */
export function createBookingPayments(deps: BookingsDeps & { gateway: PaymentGateway }) {
  const bookings = createBookingsService(deps);
  const now = () => deps.now?.() ?? new Date();

  return {
    /** Saying yes opens the payment window; a co-op that cannot take payments yet cannot accept. */
    accept(actor: Actor | null, id: string, acceptSolidarity?: boolean) {
      return bookings.transition(actor, id, 'accepted', null, async (tx, b) => {
        if (!(await paymentAccount(tx, b.coopId))?.chargesEnabled) {
          throw conflict('Finish setting up payments (Stripe) before accepting bookings', 'coop_not_ready');
        }
        return bookings.acceptance(tx, b, acceptSolidarity);
      });
    },

    /**
     * A paid booking is refunded under its own cancellation policy in the same transaction as the state change.
     * A visit of a series cancelled on its own (not as part of a change to the whole series) leaves
     * its date out of the series for good (a later change, pause or resume does not make it again),
     * and the series' history says who cancelled it.
     */
    async cancel(actor: Actor | null, id: string, reason?: string, opts: { withSeries?: boolean } = {}) {
      const a = requireActor(actor);
      const by = await bookings.cancellingSide(a, id);
      const byClient = by === 'client';
      const to: BookingState = byClient ? 'cancelled_by_client' : 'cancelled_by_coop';
      return bookings.transition(a, id, to, reason ?? null, async (tx, locked, role) => {
        if (locked.state === 'accepted') {
          if (!(await closeOpenCheckouts(tx, deps.gateway, locked.id))) throw conflict('The payment for this booking has just gone through. Try again in a moment to cancel it with a refund.', 'payment_in_progress');
        }
        let kept = 0;
        if (locked.state === 'paid') {
          kept = keptOnCancellation(locked, by, now(), await coopAcceptedAt(tx, locked.id));
          await refundPayment(tx, deps.gateway, locked, {
            kind: byClient ? 'client_cancellation' : 'coop_cancellation',
            keptServiceCents: kept,
            reason: reason || (byClient ? 'Cancelled by the client' : 'Cancelled by the co-op'),
            actorId: a.userId,
          });
        }
        if (!opts.withSeries) await visitCancelledAlone(tx, locked, { id: a.userId, role }, reason || null, now());
        // So is the date of one a series change cancelled with a late fee kept: calling the pause
        // off would make that date again and charge it a second time.
        else if (kept > 0 && locked.seriesId && locked.seriesDate) await skipDate(tx, locked.seriesId, locked.seriesDate, now());
        return {};
      });
    },

    /**
     * The co-op marks the client absent: the booking's no-show share (snapshotted from the listing
     * when it was booked) is kept and the rest refunded, taxes pro rata, in the same transaction as
     * the state change. Only a paid booking can be marked absent (lifecycle), so there is always a
     * payment to refund from; at 100 % nothing is refunded.
     */
    noShow(actor: Actor | null, id: string, reason?: string) {
      const a = requireActor(actor);
      return bookings.transition(a, id, 'no_show', reason ?? null, async (tx, locked) => {
        if (locked.noShowPercent < 100) {
          await refundPayment(tx, deps.gateway, locked, {
            kind: 'no_show', keptServiceCents: keptOnNoShow(locked), reason: reason || 'Client absent (no-show)', actorId: a.userId,
          });
        }
        return {};
      });
    },

    /** A visit of a series moved on its own is in its series' history too, in the move's transaction. */
    reschedule(actor: Actor | null, id: string, startsAt: string) {
      return bookings.reschedule(actor, id, startsAt, (tx, before, after, role) => visitMoved(tx, before, after, { id: requireActor(actor).userId, role }));
    },

    /**
     * The expiry job. An acceptance whose Checkout cannot be closed at Stripe (paid meanwhile, or
     * Stripe not answering) stays as it is until the payment arrives or the next run.
     */
    expireRequests(limit = 100): Promise<number> {
      return bookings.expireDue(async (tx, b) => b.state !== 'accepted' || closeOpenCheckouts(tx, deps.gateway, b.id).catch((err) => {
        if (err instanceof HttpError && err.statusCode === 502) return false; // Stripe not answering: next run
        throw err;
      }), limit);
    },
  };
}
