import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import { schema, type Db, type Tx } from '@tissu/db';
import type { Mailer } from '../../plugins/mailer.js';
import { renderMessage, type MessagePayload } from './messages.js';
import { namedStatement } from '../../lib/prepared.js';
import { arrayLiteral } from '../../lib/sql-arrays.js';

const { outbox } = schema;

/**
 * Queues a message in the caller's transaction, so it exists if and only if the change that
 * caused it commits. The same dedupe key is queued once. Every email goes through here.
 */
export async function enqueue(tx: Tx, dedupeKey: string, payload: MessagePayload, notBefore?: Date): Promise<void> {
  await enqueueAll(tx, [{ dedupeKey, payload, notBefore }]);
}

/**
 * Several messages queued as `enqueue` queues one, in one statement. Its text is the same for any
 * number of messages (each column travels as one array), so it is prepared once per connection:
 * every booking, payment and answer queues messages here.
 */
export async function enqueueAll(tx: Tx, messages: { dedupeKey: string; payload: MessagePayload; notBefore?: Date }[]): Promise<void> {
  if (messages.length === 0) return;
  const at = new Date().toISOString();
  await namedStatement(tx, ENQUEUE_TEXT, [
    arrayLiteral(messages.map((m) => m.dedupeKey)),
    arrayLiteral(messages.map((m) => JSON.stringify(m.payload))),
    arrayLiteral(messages.map((m) => m.notBefore?.toISOString() ?? at)),
  ]);
}

const ENQUEUE_TEXT = `INSERT INTO outbox (kind, dedupe_key, payload, not_before)
  SELECT 'email', m.dedupe_key, m.payload, m.not_before FROM unnest($1::text[], $2::jsonb[], $3::timestamptz[]) WITH ORDINALITY AS m(dedupe_key, payload, not_before, n)
  ORDER BY m.n
  ON CONFLICT DO NOTHING`;

export interface DispatchResult {
  sent: number;
  failed: number;
  skipped: number;
}

/**
 * Sends due messages, each in a transaction of its own: the row is claimed with FOR UPDATE SKIP
 * LOCKED (so any number of workers and API instances can run this at once without two sending the
 * same message), handed to the mailer, marked sent, and committed before the next one is claimed.
 * Committing a batch at once would, when a worker dies mid-batch, roll back the "sent" marks of
 * messages already handed over, and another worker would send them all again.
 * What remains is the instant between the mail server's acceptance and the commit: a worker dying
 * there leaves one message to be sent again, with the same Message-ID (derived from the row id),
 * which the local mailbox keeps once and mail servers and clients drop as a duplicate.
 */
export async function dispatchOutbox(db: Db, mailer: Mailer, opts: { webOrigin: string; now?: Date }): Promise<DispatchResult> {
  const result: DispatchResult = { sent: 0, failed: 0, skipped: 0 };
  for (;;) {
    const claimed = await db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(outbox)
        .where(and(isNull(outbox.sentAt), lte(outbox.notBefore, opts.now ?? new Date()), sql`${outbox.attempts} < 10`))
        .orderBy(asc(outbox.id))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!row) return false;
      try {
        const mail = await renderMessage(tx, row.payload as unknown as MessagePayload, opts.webOrigin, mailer.from);
        if (mail) {
          await mailer.send({ ...mail, messageId: `<outbox-${row.id}@tissu.coop>` });
          result.sent++;
        } else {
          result.skipped++; // e.g. a reminder for a booking cancelled since
        }
        // A link's one-time secret (invitation, password reset, address confirmation) is only
        // kept until its email is handed over: it leaves the row in the commit that marks it sent.
        await tx
          .update(outbox)
          .set({ sentAt: new Date(), attempts: row.attempts + 1, payload: sql`${outbox.payload} - 'token'` })
          .where(eq(outbox.id, row.id));
      } catch (err) {
        result.failed++;
        await tx
          .update(outbox)
          .set({ attempts: row.attempts + 1, lastError: String((err as Error).message).slice(0, 500), notBefore: new Date(Date.now() + 60_000 * 2 ** row.attempts) })
          .where(eq(outbox.id, row.id));
      }
      return true;
    });
    if (!claimed) return result;
  }
}
