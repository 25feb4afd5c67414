import type { Db } from '@tissu/db';
import type { Actor } from '../actor.js';
import type { PaymentGateway } from '../plugins/stripe.js';
import { createBookingsService } from '../modules/bookings/index.js';
import { createCheckoutService, createSavedCards } from '../modules/payments/index.js';

type Log = { warn(o: object, m: string): void; error(o: object, m: string): void };

/**
 * Completing a booking paid with a deposit charges its balance to the card the deposit saved, once
 * the completion is committed (a charge at Stripe cannot be rolled back with our transaction). When
 * Stripe does not answer, the balance stays due and the job charges it later (chargeDueBalances).
 */
export function createCompletion(deps: { db: Db; gateway: PaymentGateway; paymentWindowHours: number; webOrigin: string; log: Log; now?: () => Date; wake?: () => void }) {
  const bookings = createBookingsService(deps);
  const checkout = createCheckoutService(deps);
  const cards = createSavedCards({ ...deps, checkout });
  return {
    async complete(actor: Actor | null, id: string, hours: { userId: string; minutes: number }[], reason?: string) {
      const done = await bookings.complete(actor, id, hours, reason);
      const charged = await cards.chargeBalance(id).catch((err: unknown) => {
        deps.log.warn({ err, bookingId: id }, 'balance not charged yet; the job tries again');
        return 'later' as const;
      });
      if (charged !== 'skipped') deps.wake?.();
      return charged === 'charged' || charged === 'refused' ? bookings.get(actor, id) : done;
    },
  };
}
