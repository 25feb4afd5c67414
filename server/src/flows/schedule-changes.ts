import type { ScheduleBody, ScheduleSaved } from '@tissu/shared';
import type { Db } from '@tissu/db';
import type { Actor } from '../actor.js';
import { createScheduleService } from '../modules/bookings/index.js';
import { settleClosedDays } from '../modules/series/index.js';
import { closeOpenCheckouts } from '../modules/payments/index.js';
import type { PaymentGateway } from '../plugins/stripe.js';

/**
 * A listing's hours saved by its co-op, then the coming visits of its series that fall on a day
 * now closed are settled with their clients (series/closed-days). The hours are saved first: a
 * failure after leaves the visits as they were, and saving again settles them.
 */
export function createScheduleChanges(db: Db, gateway: PaymentGateway, now: () => Date = () => new Date()) {
  const schedules = createScheduleService(db);
  return {
    ...schedules,
    /** The hours saved, and what they leave booked on times now closed (the page lists them). */
    async put(actor: Actor | null, listingId: string, body: ScheduleBody): Promise<ScheduleSaved> {
      const saved = await schedules.put(actor, listingId, body);
      await settleClosedDays(db, actor!, listingId, now(), (tx, bookingId) => closeOpenCheckouts(tx, gateway, bookingId));
      return { ...saved, stillBooked: await schedules.stillBooked(listingId, now()) };
    },
  };
}
