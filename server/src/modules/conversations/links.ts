import { fieldError } from '@tissu/shared';
import type { Tx } from '@tissu/db';
import type { SQL } from 'drizzle-orm';
import { badRequest } from '../../errors.js';
import * as repo from './repository.js';

/**
 * The client books from her inquiry: in the booking's (or series') transaction, the inquiry becomes
 * its conversation. Anyone else's conversation, another co-op's, or one already bound: a field
 * error, and the caller's transaction (the booking with it) rolls back.
 */
export async function bindInquiry(tx: Tx, conversationId: string, by: { clientId: string; coopId: string; listingId: string }, to: { bookingId: string } | { seriesId: string }) {
  if (!(await repo.bindInquiry(tx, conversationId, by, to))) {
    throw badRequest('Not one of your open conversations with this co-op', { conversationId: [fieldError('not_your_conversation')] });
  }
}

/** Messages waiting unread for the person, in every conversation she is still in (the header's badge): a scalar subquery. */
export const unreadTotal = (userId: SQL): SQL => repo.totalUnread(userId);

/** Each booking line with the person's unread messages in its conversation (its series' for a visit), in one query. */
export async function unreadOnLines<T extends { id: string; series: { id: string } | null }>(db: Tx, userId: string, items: T[]): Promise<(T & { unreadMessages: number })[]> {
  const { byBooking, bySeries } = await repo.unreadBySubject(db, userId, items.filter((b) => !b.series).map((b) => b.id), [...new Set(items.flatMap((b) => (b.series ? [b.series.id] : [])))]);
  return items.map((b) => ({ ...b, unreadMessages: (b.series ? bySeries.get(b.series.id) : byBooking.get(b.id)) ?? 0 }));
}
