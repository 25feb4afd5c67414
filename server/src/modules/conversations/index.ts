// What other modules and the flows may use of conversations: the header's count, the booking lines' counts, binding an inquiry to a booking.
export { bindInquiry, unreadOnLines, unreadTotal } from './links.js';
/** A quote's conversation: the client's inquiry about the listing (made if she has none open), or the one she asked from. */
export { openInquiry, findConversation } from './repository.js';
/** A quote's history row as its page shows it, the same as in its conversation. */
export { toQuoteEvent } from './view.js';
