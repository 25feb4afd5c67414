import { fieldError } from '@tissu/shared';
import type { Db } from '@tissu/db';
import { requireSteward, type Actor } from '../../actor.js';
import { badRequest, conflict, notFound } from '../../errors.js';
import type { PaymentGateway } from '../../plugins/stripe.js';
import { lockBooking, insertEvent } from '../bookings/index.js';
import { enqueue } from '../notifications/index.js';
import { refundPayment, remainingService } from './refunds.js';

/** A steward settles a dispute with a refund of part or all of the service, with a reason on record. */
export function createStewardRefunds(deps: { db: Db; gateway: PaymentGateway; wake(): void }) {
  return {
    async refund(actor: Actor | null, bookingId: string, serviceCents: number, reason: string) {
      const a = requireSteward(actor);
      await deps.db.transaction(async (tx) => {
        const b = await lockBooking(tx, bookingId);
        if (!b) throw notFound('Booking');
        const left = await remainingService(tx, bookingId);
        if (left === 0) throw conflict('Nothing is left to refund on this booking', 'nothing_to_refund');
        if (serviceCents > left) throw badRequest('Some fields are not valid', { serviceCents: [fieldError('refund_above_left', { maximum: left })] });
        const rows = (await refundPayment(tx, deps.gateway, b, { kind: 'steward', keptServiceCents: left - serviceCents, reason, actorId: a.userId })) ?? [];
        // The client hears of money coming back once per refund (one email for its parts), with the reason.
        if (rows.length) {
          await enqueue(tx, `booking:${b.id}:refunded:${rows[0]!.id}`, {
            type: 'booking', message: 'refunded', bookingId: b.id, recipientId: b.clientId, reason, amountCents: rows.reduce((s, r) => s + r.totalCents, 0),
          });
        }
        await insertEvent(tx, { bookingId, actorId: a.userId, actorRole: 'steward', kind: 'transition', fromState: b.state, toState: b.state, reason: `Refund: ${reason}` });
      });
      deps.wake();
    },
  };
}
