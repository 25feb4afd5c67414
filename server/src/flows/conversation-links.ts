import type { Tx } from '@tissu/db';
import type { Actor } from '../actor.js';
import { bindInquiry, unreadOnLines } from '../modules/conversations/index.js';

/** What a new booking or series says of itself to the conversation it was booked from. */
export interface Made { clientId: string; coopId: string; listingId: string }

/**
 * Booking from an inquiry: run inside the booking's (or series') transaction once it exists, so the
 * inquiry becomes its conversation, or nothing is written at all.
 */
export function fromInquiry(conversationId: string | undefined, subject: 'booking' | 'series') {
  if (!conversationId) return undefined;
  return (tx: Tx, made: Made & { id: string }) =>
    bindInquiry(tx, conversationId, made, subject === 'booking' ? { bookingId: made.id } : { seriesId: made.id });
}

/** A page of booking lines, each with the person's unread messages in its conversation. */
export async function withUnreadMessages<T extends { id: string; series: { id: string } | null }>(db: Tx, actor: Actor | null, list: { items: T[] }) {
  return { ...list, items: actor ? await unreadOnLines(db, actor.userId, list.items) : list.items.map((b) => ({ ...b, unreadMessages: 0 })) };
}
