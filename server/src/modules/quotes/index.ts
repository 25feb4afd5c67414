// What the flows may use of quotes: the service (accepting takes the booking maker from the flow).
export { createQuotesService, type BookAccepted, type QuotesService, type SeriesAccepted } from './service.js';
export { clientContact, type OfferRow, type QuoteRow } from './repository.js';
