import { createHash } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { schema, type Db } from '@tissu/db';
import { HttpError, conflict } from './errors.js';

const { idempotentRequests } = schema;

/** How long a key is remembered: a retry comes within minutes; Stripe keeps its keys 24 hours too. */
export const KEEP_KEYS_MS = 24 * 3_600_000;

/** How long a replay waits for the first request with its key to finish before answering 409. */
const WAIT_MS = 10_000;
const POLL_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a create at most once per (user, `Idempotency-Key`): a double click, a retried request or
 * ten concurrent ones create one row and all answer the first result (same status, same body).
 * The key is claimed by inserting its row (the primary key settles races); the answer is stored
 * when the create succeeds. A create that fails releases the key, so the corrected form can be
 * sent again with it. The same key with another body is refused (422), on another route too (409). Without a key, or without a signed-in user, the create just runs.
 */
export async function idempotent(
  db: Db,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  create: () => Promise<unknown>,
) {
  const raw = req.headers['idempotency-key'];
  const key = typeof raw === 'string' ? raw : undefined;
  const userId = req.actor?.userId;
  if (!key || !userId) return reply.code(status).send(await create());
  // The route and a fingerprint of the body: the same key with another body is a client's bug
  // (or someone else's request), never a replay of the first answer.
  const route = `${req.method} ${req.url.split('?')[0]}`;
  const scope = `${route} #${createHash('sha256').update(JSON.stringify(req.body ?? null)).digest('base64url')}`;
  const mine = and(eq(idempotentRequests.userId, userId), eq(idempotentRequests.key, key));

  const claimed = await db.insert(idempotentRequests).values({ userId, key, scope }).onConflictDoNothing().returning({ key: idempotentRequests.key });
  if (claimed.length === 0) {
    for (const deadline = Date.now() + WAIT_MS; ; await sleep(POLL_MS)) {
      const [first] = await db.select().from(idempotentRequests).where(mine);
      if (first && first.scope !== scope) {
        if (!first.scope.startsWith(`${route} #`)) throw conflict('This Idempotency-Key was already used for another request', 'idempotency_key_reused');
        // As the IETF Idempotency-Key draft and Stripe answer a key reused with other parameters.
        throw new HttpError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used with a different request body: send a new key for a new request');
      }
      if (first?.status != null) return reply.code(first.status).send(first.body);
      // Released: the first attempt failed, so this one may try (it claims the key in turn).
      if (!first) return idempotent(db, req, reply, status, create);
      if (Date.now() > deadline) throw conflict('A request with this Idempotency-Key is still running', 'request_in_progress');
    }
  }

  let result: unknown;
  try {
    result = await create();
  } catch (e) {
    await db.delete(idempotentRequests).where(mine);
    throw e;
  }
  // Stored as the JSON the client receives (dates as ISO strings), so a replay is the same body.
  const body = JSON.parse(JSON.stringify(result)) as unknown;
  await db.update(idempotentRequests).set({ status, body }).where(mine);
  return reply.code(status).send(body);
}

/**
 * Forgets keys older than a day: the stored answers hold what was created (an invitee's address,
 * a co-op's details), which has no reason to outlive the retries it guards against.
 */
export async function forgetOldKeys(db: Db, now: Date): Promise<number> {
  const gone = await db
    .delete(idempotentRequests)
    .where(lt(idempotentRequests.createdAt, new Date(now.getTime() - KEEP_KEYS_MS)))
    .returning({ key: idempotentRequests.key });
  return gone.length;
}
