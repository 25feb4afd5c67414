import type { Db } from '@tissu/db';
import { placeQuotedBooking, proposedTimesFit } from '../modules/bookings/index.js';
import { bindInquiry } from '../modules/conversations/index.js';
import { createQuotesService, clientContact, type BookAccepted } from '../modules/quotes/index.js';
import { HttpError } from '../errors.js';

/**
 * Accepting a quote makes its booking, in the quote's transaction: the booking (accepted, at the
 * offer's subtotal and duration, the deposit share it is paid with), and the quote's conversation
 * moves with it, as an inquiry does when booked from. Then the client pays through the usual Checkout.
 */
export function createQuoteBookings(deps: { db: Db; paymentWindowHours: number; now?: () => Date; wake?: () => void }) {
  const quotes = createQuotesService({ ...deps, fitTimes: proposedTimesFit });
  const book: BookAccepted = async (tx, q, offer, startsAt, now) => {
    const contact = await clientContact(tx, q.clientId);
    const b = await placeQuotedBooking(tx, {
      quoteId: q.id, listingId: q.listingId, clientId: q.clientId, startsAt, durationMinutes: offer.durationMinutes,
      serviceCents: offer.serviceCents, feeRateBps: offer.feeRateBps, depositPercent: offer.depositPercent,
      address: q.address, notes: q.description.slice(0, 2000), contactName: contact.name, contactEmail: contact.email, answers: q.answers,
      paymentWindowHours: deps.paymentWindowHours, now,
    });
    if (q.conversationId) {
      // Bound elsewhere since (she booked from the same inquiry): the quote keeps it, the booking gets none.
      await bindInquiry(tx, q.conversationId, { clientId: q.clientId, coopId: q.coopId, listingId: q.listingId }, { bookingId: b.id })
        .catch((err: unknown) => { if (!(err instanceof HttpError)) throw err; });
    }
    return { bookingId: b.id };
  };
  return { ...quotes, accept: (actor: Parameters<typeof quotes.accept>[0], id: string, body: Parameters<typeof quotes.accept>[2]) => quotes.accept(actor, id, body, book) };
}
