import type { Db, Tx } from '@tissu/db';
import { placeQuotedBooking, proposedTimesFit } from '../modules/bookings/index.js';
import { bindInquiry } from '../modules/conversations/index.js';
import { createQuotesService, clientContact, type BookAccepted, type QuoteRow, type SeriesAccepted } from '../modules/quotes/index.js';
import { placeQuotedSeries, regularTimeOpen } from '../modules/series/index.js';
import { HttpError } from '../errors.js';

/**
 * Accepting a quote makes its booking, in the quote's transaction: the booking (accepted, at the
 * offer's subtotal and duration, the deposit share it is paid with), and the quote's conversation
 * moves with it, as an inquiry does when booked from. Then the client pays through the usual Checkout.
 * An offer of regular visits makes a series instead (active, one visit at the offer's subtotal), and
 * the conversation moves to the series; its visits are paid as any series' (the saved card, or links).
 */
/**
 * The quote's conversation moves to what its acceptance made. Bound elsewhere since (she booked from
 * the same inquiry): the quote keeps it, and the booking or series gets none.
 */
async function moveConversation(tx: Tx, q: QuoteRow, to: Parameters<typeof bindInquiry>[3]) {
  if (!q.conversationId) return;
  await bindInquiry(tx, q.conversationId, { clientId: q.clientId, coopId: q.coopId, listingId: q.listingId }, to)
    .catch((err: unknown) => { if (!(err instanceof HttpError)) throw err; });
}

export function createQuoteBookings(deps: { db: Db; paymentWindowHours: number; now?: () => Date; wake?: () => void }) {
  const quotes = createQuotesService({ ...deps, regularTimeOpen, fitTimes: proposedTimesFit });
  const book: BookAccepted = async (tx, q, offer, startsAt, now) => {
    const contact = await clientContact(tx, q.clientId);
    const b = await placeQuotedBooking(tx, {
      quoteId: q.id, listingId: q.listingId, clientId: q.clientId, startsAt, durationMinutes: offer.durationMinutes,
      serviceCents: offer.serviceCents, feeRateBps: offer.feeRateBps, depositPercent: offer.depositPercent,
      // Frozen as the offer showed them: a change of the co-op's registration before payment does not reprice it.
      taxes: { gst: offer.gstCents > 0, qst: offer.qstCents > 0 },
      address: q.address, notes: q.description.slice(0, 2000), contactName: contact.name, contactEmail: contact.email, answers: q.answers,
      paymentWindowHours: deps.paymentWindowHours, now,
    });
    await moveConversation(tx, q, { bookingId: b.id });
    return { bookingId: b.id };
  };
  const bookSeries: SeriesAccepted = async (tx, q, offer, now) => {
    const contact = await clientContact(tx, q.clientId);
    const { recurrence: r } = offer;
    const made = await placeQuotedSeries(tx, {
      quoteId: q.id, listingId: q.listingId, clientId: q.clientId, frequency: r.frequency, startsAt: new Date(r.startsAt), until: r.until, count: r.count,
      durationMinutes: offer.durationMinutes, priceCents: offer.serviceCents, feeRateBps: offer.feeRateBps,
      // As a one-visit quote's booking: the visits are paid with the taxes the offer showed, whatever the registration later.
      taxes: { gst: offer.gstCents > 0, qst: offer.qstCents > 0 },
      address: q.address, notes: q.description.slice(0, 2000), contactName: contact.name, contactEmail: contact.email, answers: q.answers, now,
    });
    await moveConversation(tx, q, { seriesId: made.seriesId });
    return made;
  };
  return { ...quotes, accept: (actor: Parameters<typeof quotes.accept>[0], id: string, body: Parameters<typeof quotes.accept>[2]) => quotes.accept(actor, id, body, { visit: book, series: bookSeries }) };
}
