import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CalendarFeed, CalendarFeedList, CalendarFeedParams, ErrorBody, ResetCalendarFeedBody } from '@tissu/shared';
import { createHash } from 'node:crypto';
import type { Config } from '../../plugins/env.js';
import { HttpError } from '../../errors.js';
import { createFeedsService } from './service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const security = [{ bearer: [] }];
const tags = ['calendar'];

/**
 * A feed's address is polled by calendar services (a few shared addresses for many people): the
 * limit is per address that asks, high enough for them, low enough that nobody walks the tokens.
 */
export const FEED_RATE_LIMIT_PER_MINUTE = 120;
/**
 * And per address asked for: a calendar app polls a feed every few minutes at most (a person's
 * phone, laptop and web calendar together stay well under this); a busy co-op's feed is costly to
 * build, and one address asked for in a loop must not keep the API busy.
 */
export const FEED_RATE_LIMIT_PER_TOKEN_PER_MINUTE = 12;

export const feedsRoutes: FastifyPluginAsyncZod<{ config: Config; now: () => Date }> = async (app, { config, now }) => {
  const feeds = createFeedsService({ db: app.db, secret: config.jwtSecret, webOrigin: config.webOrigin, now });
  const perToken = app.createRateLimit({
    max: FEED_RATE_LIMIT_PER_TOKEN_PER_MINUTE, timeWindow: '1 minute',
    // Keyed on a hash: the store holds no address that opens a feed.
    keyGenerator: (req) => `feed:${createHash('sha256').update((req.params as { file: string }).file).digest('base64url')}`,
  });

  app.get('/me/calendar-feeds', { schema: { tags, security, summary: "The person's private calendar feeds (her bookings, her visits per co-op, the bookings of each co-op she runs)", response: { 200: CalendarFeedList, ...errors } } },
    async (req) => feeds.list(req.actor));
  app.post('/me/calendar-feeds', { schema: { tags, security, summary: "Make a feed's address, or replace it: the old address answers 404 from then on", body: ResetCalendarFeedBody, response: { 200: CalendarFeed, ...errors } } },
    async (req) => feeds.reset(req.actor, req.body));

  // The token in the address is the credential (the request log masks it: plugins/logger.ts).
  app.get('/calendar-feeds/:file', {
    config: { rateLimit: { max: FEED_RATE_LIMIT_PER_MINUTE, timeWindow: '1 minute' } },
    schema: { tags, summary: 'A private calendar feed (iCalendar); 404 for an address that opens none', params: CalendarFeedParams, response: { 200: z.string().describe('text/calendar, UTF-8'), 404: ErrorBody, 429: ErrorBody } },
  }, async (req, reply) => {
    // Private even on an error: a shared cache must never keep what this address answered.
    reply.header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex');
    const limit = await perToken(req);
    if (!limit.isAllowed && limit.isExceeded) {
      throw new HttpError(429, 'rate_limited', 'This calendar address was asked for too often; try again in a minute.', undefined, { 'retry-after': String(limit.ttlInSeconds) });
    }
    const ics = await feeds.calendar(req.params.file);
    return reply.type('text/calendar; charset=utf-8').send(ics);
  });
};
