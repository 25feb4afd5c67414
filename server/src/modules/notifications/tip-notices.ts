import type { Tx } from '@tissu/db';
import { enqueue } from './outbox.js';
import { teamOf } from './tip-messages.js';

/**
 * A tip just paid, in the transaction that books it: the client's thank-you with her receipt, and
 * each worker on the visit her share. Keyed by the tip: queued once however many events say it was paid.
 */
export async function tipPaidMessages(tx: Tx, tip: { id: string; bookingId: string; clientId: string }): Promise<void> {
  const team = await teamOf(tx, tip.bookingId);
  await enqueue(tx, `tip:${tip.id}:thanks`, { type: 'tip', message: 'thanks', tipId: tip.id, recipientId: tip.clientId });
  for (const userId of team) await enqueue(tx, `tip:${tip.id}:share:${userId}`, { type: 'tip', message: 'share', tipId: tip.id, recipientId: userId });
}
