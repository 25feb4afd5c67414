// Messages queued in the caller's transaction (the outbox) and sent after the commit by the job worker.
export { dispatchOutbox, enqueue, enqueueAll, type DispatchResult } from './outbox.js';
export type { BookingMessage, MessagePayload } from './messages.js';
export type { SeriesMessage, SeriesRefunds } from './series-messages.js';
export type { DataExportMessagePayload } from './data-export-messages.js';
export type { QuoteMessage, QuoteMessagePayload } from './quote-messages.js';
export { tipPaidMessages } from './tip-notices.js';
// Calendar feeds write visits as the emails' invitations do: same writer, UID and SEQUENCE.
export { feedCalendar, bookingUid, type FeedEvent } from './ics.js';
export { bookingSequences } from './event-sequence.js';
