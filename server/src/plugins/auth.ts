import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import jwt from '@fastify/jwt';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { schema } from '@tissu/db';
import type { Actor } from '../actor.js';
import { unauthorized } from '../errors.js';
import { isUuid } from '../lib/ids.js';
import { prepared } from '../lib/prepared.js';
import type { Config } from './env.js';

/** The session a token names, if it is still live: read on every signed-in request, so built once. */
const liveSession = prepared((db) => db
  .select({ isSteward: schema.users.isSteward, emailVerifiedAt: schema.users.emailVerifiedAt })
  .from(schema.sessions)
  .innerJoin(schema.users, eq(schema.users.id, schema.sessions.userId))
  .where(
    and(
      eq(schema.sessions.id, sql.placeholder('sid')),
      eq(schema.sessions.userId, sql.placeholder('sub')),
      isNull(schema.sessions.revokedAt),
      gt(schema.sessions.expiresAt, sql.placeholder('now')),
    ),
  )
  .prepare('live_session'));

export const ACCESS_COOKIE = 'tissu_access';
export const REFRESH_COOKIE = 'tissu_refresh';

interface AccessClaims {
  sub: string;
  sid: string;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims;
    user: AccessClaims;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    signAccessToken(claims: AccessClaims): string;
  }
}

/**
 * Reads the access token from `Authorization: Bearer` or the httpOnly cookie, verifies it, and
 * checks that its session is still live (sign-out and password changes revoke sessions at once).
 * Anonymous requests get `actor = null`; each service decides what needs a signed-in actor.
 */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    await app.register(cookie);
    await app.register(jwt, {
      secret: config.jwtSecret,
      cookie: { cookieName: ACCESS_COOKIE, signed: false },
      sign: { expiresIn: config.accessTokenTtlSeconds, algorithm: 'HS256' },
      // A token without `exp` would never expire: refuse it, whoever signed it.
      verify: { algorithms: ['HS256'], requiredClaims: ['exp', 'sub', 'sid'] },
    });
    app.decorate('signAccessToken', (claims: AccessClaims) => app.jwt.sign(claims));
    app.decorateRequest('actor', null);

    app.addHook('onRequest', async (req) => {
      const hasHeader = req.headers.authorization?.startsWith('Bearer ');
      const hasCookie = Boolean(req.cookies[ACCESS_COOKIE]);
      if (!hasHeader && !hasCookie) return;
      let claims: AccessClaims;
      try {
        claims = await req.jwtVerify<AccessClaims>();
      } catch (err) {
        const expired = (err as { code?: string }).code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED';
        throw expired ? unauthorized('Your session has expired', 'token_expired') : unauthorized('Invalid token', 'invalid_token');
      }
      // Signed by us yet not our ids (an old or hand-made token): invalid, not a bad request.
      if (!isUuid(claims.sub) || !isUuid(claims.sid)) throw unauthorized('Invalid token', 'invalid_token');
      const [row] = await liveSession(app.db, { sid: claims.sid, sub: claims.sub, now: new Date().toISOString() });
      if (!row) throw unauthorized('Your session has ended', 'session_revoked');
      req.actor = { userId: claims.sub, sessionId: claims.sid, isSteward: row.isSteward, emailVerified: row.emailVerifiedAt !== null };
    });

    // A route that declares a security scheme needs someone signed in: say so before judging the
    // body or looking the id up, so a visitor learns neither the form's rules nor what exists.
    app.addHook('preValidation', async (req) => {
      if (!req.actor && req.routeOptions.schema?.security?.length) throw unauthorized();
    });
  },
  { name: 'auth', dependencies: ['db'] },
);
