import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AccountDeletionCheck, DeleteAccountBody, ErrorBody, OkBody, PrivacyContact } from '@tissu/shared';
import { ACCESS_COOKIE, REFRESH_COOKIE } from '../../plugins/auth.js';
import type { Config } from '../../plugins/env.js';
import { createPrivacyService } from './service.js';

export const privacyRoutes: FastifyPluginAsyncZod<{ config: Config; now: () => Date }> = async (app, { config, now }) => {
  const privacy = createPrivacyService({ db: app.db, gateway: app.payments, contact: config.privacyOfficer, log: app.log, now });
  // A password is checked here: as slow for guessers as sign-in, per person.
  const limit = {
    rateLimit: {
      max: config.authRateLimitPerMinute, timeWindow: '1 minute',
      keyGenerator: (req: { actor?: { userId: string } | null; ip: string }) => req.actor?.userId ?? req.ip,
    },
  };

  app.get('/privacy/contact', {
    schema: { tags: ['privacy'], summary: 'The person in charge of the protection of personal information', response: { 200: PrivacyContact } },
  }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return privacy.contact();
  });

  app.get('/me/deletion', {
    schema: {
      tags: ['privacy'], summary: 'What must be settled before this account can be deleted (nothing when the list is empty)',
      security: [{ bearer: [] }], response: { 200: AccountDeletionCheck, 401: ErrorBody },
    },
  }, async (req) => privacy.check(req.actor));

  app.post('/me/delete', {
    config: limit,
    schema: {
      tags: ['privacy'], summary: 'Delete my account: personal data erased, records the law keeps anonymised; signs out everywhere',
      security: [{ bearer: [] }], body: DeleteAccountBody,
      response: { 200: OkBody, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody, 502: ErrorBody },
    },
  }, async (req, reply) => {
    await privacy.deleteAccount(req.actor, req.body);
    reply.clearCookie(ACCESS_COOKIE, { path: '/' }).clearCookie(REFRESH_COOKIE, { path: '/auth' });
    return { ok: true as const };
  });
};
