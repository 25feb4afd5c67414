import type { Tx } from '@tissu/db';
import { enqueue } from '../notifications/index.js';
import * as repo from './repository.js';

/** At most one email per conversation, person and this span while messages wait unread. */
export const EMAIL_WINDOW_MS = 15 * 60_000;

/**
 * Queues the emails of a new message, in its transaction. Someone not emailed about this
 * conversation in the last window is emailed at once; someone who was gets one follow-up at the
 * window's end (one row per window: the dedupe key), sent only if messages still wait unread then.
 * People who turned message emails off get none.
 */
export async function queueMessageEmails(tx: Tx, c: repo.ConversationRow, message: repo.MessageRow, recipients: string[]) {
  const at = message.createdAt;
  const states = await repo.readStates(tx, c.id, recipients);
  const now: string[] = [];
  await Promise.all(states.filter((s) => s.messageEmails).map((s) => {
    if (!s.emailedAt || at.getTime() - s.emailedAt.getTime() >= EMAIL_WINDOW_MS) {
      now.push(s.userId);
      return enqueue(tx, `conversation:${c.id}:${s.userId}:${message.id}`, { type: 'conversation', conversationId: c.id, recipientId: s.userId, messageId: message.id });
    }
    return enqueue(
      tx, `conversation:${c.id}:${s.userId}:after:${s.emailedAt.getTime()}`,
      { type: 'conversation', conversationId: c.id, recipientId: s.userId, after: s.emailedAt.toISOString() },
      new Date(s.emailedAt.getTime() + EMAIL_WINDOW_MS),
    );
  }));
  await repo.markEmailed(tx, c.id, now, at);
}
