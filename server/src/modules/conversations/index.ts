// What other modules and the flows may use of conversations: the header's count, the booking lines' counts, binding an inquiry to a booking.
export { bindInquiry, unreadOnLines, unreadTotal } from './links.js';
