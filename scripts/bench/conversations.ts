/**
 * Conversations (issue 14): posting messages at 10 connections (each post counts it unread for the
 * co-op's admin and queues her batched email, in one transaction), and the header's unread count
 * on every page load: GET /me/waiting for an admin with unread messages in 200 conversations among
 * 20,000, one at a time, against its unread count alone (one indexed read) and the route's one
 * statement alone (the difference is the API's share).
 *
 *   pnpm bench conversations [--seconds 10] [--connections 10]
 */
import { createHmac, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { startApiProcess } from './api-process.js';
import { httpLoad, oneAtATime, summarize, type Measured } from './measure.js';
import { scratchDatabase, type BenchServer } from './scratch-db.js';
import { target, type Figure } from './table.js';
import { WAITING_TEXT } from '../../server/src/modules/waiting/service.js';

const POSTERS = 200;
const OTHER_CONVERSATIONS = 20_000;

export interface ConversationsBench { post: Measured; waiting: Measured; me: Measured; unreadSql: Measured; routeSql: Measured }

/** An access token as the API signs one (HS256; subject, session, expiry). */
function accessToken(secret: string, userId: string, sessionId: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: userId, sid: sessionId, iat: now, exp: now + 3_600 })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

async function sqlOneAtATime(runs: number, query: () => Promise<unknown>): Promise<Measured> {
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < runs + 20; i++) {
    const t0 = performance.now();
    await query();
    if (i >= 20) times.push(performance.now() - t0);
  }
  return summarize(times, 0, performance.now() - started);
}

export async function benchConversations(server: BenchServer, opts: { seconds?: number; connections?: number } = {}): Promise<ConversationsBench> {
  const connections = opts.connections ?? 10;
  const scratch = await scratchDatabase(server, { max: 1 });
  const jwtSecret = randomBytes(48).toString('base64url');
  // The per-person limit (20 a minute) is not what is measured: 200 people post as fast as they can.
  const api = await startApiProcess({ databaseUrl: scratch.url, poolSize: connections, env: { JWT_SECRET: jwtSecret, MESSAGE_RATE_LIMIT_PER_MINUTE: '1000000' } }).catch(async (e: unknown) => {
    await scratch.drop();
    throw e;
  });
  const sql = scratch.database.sql;
  try {
    const people = await sql<{ id: string; session: string; email: string }[]>`
      WITH made AS (
        INSERT INTO users (email, password_hash, name, email_verified_at)
        SELECT 'person' || i || '@bench.test', 'x', 'Personne ' || i, now() FROM generate_series(0, ${POSTERS}) i RETURNING id, email),
      s AS (INSERT INTO sessions (user_id, token_hash, expires_at) SELECT id, 'bench-' || id, now() + interval '1 day' FROM made RETURNING id, user_id)
      SELECT made.id, s.id AS session, made.email FROM made JOIN s ON s.user_id = made.id ORDER BY made.email`;
    const admin = people.find((p) => p.email === 'person0@bench.test')!;
    const clients = people.filter((p) => p !== admin);
    const [coop] = await sql<{ id: string }[]>`
      INSERT INTO coops (slug, legal_name, legal_form, region, languages, founded_year, description_fr, description_en, status, created_by)
      VALUES ('coop-banc', 'Coop Banc d’essai', 'worker_coop', 'verdun', '{fr}', 2020, 'Pour mesurer.', 'To measure.', 'approved', ${admin.id}) RETURNING id`;
    await sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coop!.id}, ${admin.id}, 'admin')`;
    // Each client's inquiry with the co-op; and a crowd of other conversations with their read rows.
    const conversations = await sql<{ id: string; client_id: string }[]>`
      INSERT INTO conversations (coop_id, client_id) SELECT ${coop!.id}, u.id FROM unnest(${clients.map((c) => c.id)}::uuid[]) u(id) RETURNING id, client_id`;
    // Other co-ops' conversations with these clients, each with messages waiting unread for its client.
    await sql`
      INSERT INTO coops (slug, legal_name, legal_form, region, languages, founded_year, description_fr, description_en, status, created_by)
      SELECT 'autre-' || k, 'Autre coop ' || k, 'worker_coop', 'verdun', '{fr}', 2020, 'Autre.', 'Other.', 'approved', ${admin.id} FROM generate_series(1, ${OTHER_CONVERSATIONS / POSTERS}) k`;
    await sql`
      WITH made AS (
        INSERT INTO conversations (coop_id, client_id)
        SELECT c.id, u.id FROM coops c CROSS JOIN unnest(${clients.map((c) => c.id)}::uuid[]) u(id) WHERE c.slug LIKE 'autre-%'
        RETURNING id, client_id)
      INSERT INTO conversation_reads (conversation_id, user_id, unread) SELECT id, client_id, 3 FROM made`;
    await sql`ANALYZE conversations`;
    await sql`ANALYZE conversation_reads`;
    const byClient = new Map(conversations.map((c) => [c.client_id, c.id]));
    const posters = clients.map((c) => ({ token: accessToken(jwtSecret, c.id, c.session), conversation: byClient.get(c.id)! }));
    let n = 0;
    const post = await httpLoad(api.base, [{
      method: 'POST', path: '/conversations', headers: { 'content-type': 'application/json' },
      setupRequest: (req) => {
        const p = posters[n++ % posters.length]!;
        return { ...req, path: `/conversations/${p.conversation}/messages`, headers: { ...req.headers, authorization: `Bearer ${p.token}` }, body: JSON.stringify({ body: `Bonjour, une question sur la visite de mardi (${n})` }) };
      },
    }], opts.seconds ?? 10, connections);

    const adminToken = accessToken(jwtSecret, admin.id, admin.session);
    const waiting = await oneAtATime(500, 50, 'GET /me/waiting', async () => {
      const res = await fetch(`${api.base}/me/waiting`, { headers: { authorization: `Bearer ${adminToken}` } });
      const body = await res.json() as { unreadMessages?: number };
      if (res.ok && !(Number(body.unreadMessages) > 0)) throw new Error('the admin has no unread messages to count');
      return res.status;
    });
    // For scale: another signed-in route of the header, GET /me, asked the same way in between.
    const me = await oneAtATime(500, 50, 'GET /me', async () => {
      const res = await fetch(`${api.base}/me`, { headers: { authorization: `Bearer ${adminToken}` } });
      await res.arrayBuffer();
      return res.status;
    });
    // The unread count alone (its target), and the route's one statement as the waiting service sends it (named, so planned once).
    const unreadSql = await sqlOneAtATime(500, () => sql`
      SELECT coalesce(sum(r.unread), 0)::int AS n FROM conversation_reads r JOIN conversations c ON c.id = r.conversation_id
      WHERE r.user_id = ${admin.id} AND r.unread > 0 AND (c.client_id = ${admin.id}
        OR EXISTS (SELECT 1 FROM coop_members m WHERE m.coop_id = c.coop_id AND m.user_id = ${admin.id} AND m.role = 'admin'))`);
    const routeSql = await sqlOneAtATime(500, () => sql.unsafe(WAITING_TEXT, [admin.id, false], { prepare: true }));
    return { post, waiting, me, unreadSql, routeSql };
  } finally {
    await api.stop();
    await scratch.drop();
  }
}

export function conversationsFigures(b: ConversationsBench): Figure[] {
  return [
    { scenario: `posting messages, ${POSTERS} people in their conversations`, via: 'api', ...b.post, target: target('>= 200/s, p50 <= 50 ms', b.post.rps >= 200 && b.post.p50 <= 50) },
    { scenario: 'GET /me/waiting with unread messages (200 conversations unread), one at a time', via: 'api', ...b.waiting, target: target('p50 <= 3 ms', b.waiting.p50 <= 3) },
    { scenario: '  GET /me, one at a time (another signed-in route of the header, for scale)', via: 'api', ...b.me },
    { scenario: `  its unread count alone (${OTHER_CONVERSATIONS.toLocaleString('en')} conversations)`, via: 'sql', ...b.unreadSql, target: target('p50 <= 1 ms', b.unreadSql.p50 <= 1) },
    { scenario: '  its one statement alone (requests, visits, unread)', via: 'sql', ...b.routeSql },
  ];
}
