import { and, count, inArray } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';

/**
 * The SEQUENCE of each booking's own calendar event: how many times its history changed its state
 * or its time (a transition or a move; its creation and a team's assignment leave the event as it
 * was). The history is append-only, so the number never goes down whatever order the emails go out
 * in, and it stays small (a clock in seconds passes 2^31 in 2038, which some calendars refuse).
 */
export async function bookingSequences(tx: Tx, bookingIds: string[]): Promise<Map<string, number>> {
  if (!bookingIds.length) return new Map();
  const { bookingEvents } = schema;
  const rows = await tx
    .select({ id: bookingEvents.bookingId, n: count() })
    .from(bookingEvents)
    .where(and(inArray(bookingEvents.bookingId, bookingIds), inArray(bookingEvents.kind, ['transition', 'rescheduled'])))
    .groupBy(bookingEvents.bookingId);
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}
