import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import type { Database } from '@tissu/db';
import authPlugin from './plugins/auth.js';
import dbPlugin from './plugins/db.js';
import errorsPlugin from './plugins/errors.js';
import mailerPlugin, { createMailer, type Mailer } from './plugins/mailer.js';
import sameOriginPlugin from './plugins/same-origin.js';
import swaggerPlugin from './plugins/swagger.js';
import type { Config } from './plugins/env.js';
import storagePlugin, { createStorage, type Storage } from './plugins/storage.js';
import { mediaRoutes } from './modules/media/routes.js';
import { accountsRoutes } from './modules/accounts/routes.js';
import { coopsRoutes } from './modules/coops/routes.js';
import { listingsRoutes } from './modules/listings/routes.js';
import { metaRoutes } from './modules/meta/routes.js';
import { bookingsRoutes } from './modules/bookings/routes.js';
import { waitingRoutes } from './modules/waiting/routes.js';
import { feedsRoutes } from './modules/feeds/routes.js';
import { conversationsRoutes } from './modules/conversations/routes.js';
import { teamRoutes } from './modules/team/routes.js';
import { reviewsRoutes } from './modules/reviews/routes.js';
import { seriesRoutes } from './modules/series/routes.js';
import { quotesRoutes } from './modules/quotes/routes.js';
import jobsPlugin from './plugins/jobs.js';
import stripePlugin, { createStripeGateway, type PaymentGateway } from './plugins/stripe.js';
import { paymentsRoutes } from './modules/payments/routes.js';
import { stripeWebhookRoute } from './modules/payments/webhook-route.js';
import { membershipRoutes } from './modules/membership/routes.js';
import { fiscalRoutes } from './modules/fiscal/routes.js';
import { patronageRoutes } from './modules/patronage/routes.js';
import { assemblyRoutes } from './modules/assembly/routes.js';
import { dataExportRoutes } from './modules/data-export/routes.js';
import { loggerOptions } from './plugins/logger.js';
import { privacyRoutes } from './modules/privacy/routes.js';

export interface AppOptions {
  config: Config;
  database: Database;
  mailer?: Mailer;
  gateway?: PaymentGateway;
  /** Where photos' files go; by default from the config (a folder, or a bucket). */
  storage?: Storage;
  /** The clock of the fiscal and assembly rules (closing a year, voting windows); tests move it. */
  now?: () => Date;
}

/**
 * The whole API as one plugin; server.ts and the tests decide where it runs. Not encapsulated,
 * so the instance that registers it sees its decorators (db, jobs, mailer).
 */
export const tissuApp = fp<AppOptions>(async (app, opts) => {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(errorsPlugin);
  await app.register(helmet, {
    // The API answers JSON; only /docs serves HTML and needs its own scripts and styles.
    contentSecurityPolicy: {
      directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] },
    },
  });
  await app.register(rateLimit, { global: false });
  await app.register(dbPlugin, { database: opts.database });
  await app.register(mailerPlugin, { mailer: opts.mailer ?? createMailer(opts.config) });
  await app.register(authPlugin, { config: opts.config });
  await app.register(sameOriginPlugin, { webOrigin: opts.config.webOrigin });
  await app.register(swaggerPlugin);
  await app.register(stripePlugin, { gateway: opts.gateway ?? createStripeGateway(opts.config.stripe) });
  await app.register(jobsPlugin, { config: opts.config });
  await app.register(storagePlugin, { storage: opts.storage ?? createStorage(opts.config.media) });

  await app.register(mediaRoutes);
  await app.register(metaRoutes, { production: opts.config.env === 'production' });
  const now = opts.now ?? (() => new Date());
  await app.register(accountsRoutes, { config: opts.config, now, wake: () => app.jobs.wake() });
  await app.register(coopsRoutes, { now, config: opts.config, wake: () => app.jobs.wake() });
  await app.register(listingsRoutes, { config: opts.config });
  await app.register(bookingsRoutes, { config: opts.config, wake: () => app.jobs.wake() });
  await app.register(paymentsRoutes, { config: opts.config });
  await app.register(stripeWebhookRoute, { config: opts.config });
  await app.register(reviewsRoutes);
  await app.register(seriesRoutes, { config: opts.config, now, wake: () => app.jobs.wake() });
  await app.register(quotesRoutes, { config: opts.config, now, wake: () => app.jobs.wake() });
  await app.register(membershipRoutes, { now, webOrigin: opts.config.webOrigin });
  await app.register(fiscalRoutes, { now });
  await app.register(patronageRoutes, { now, wake: () => app.jobs.wake() });
  await app.register(assemblyRoutes, { now });
  await app.register(waitingRoutes);
  await app.register(feedsRoutes, { config: opts.config, now });
  await app.register(conversationsRoutes, { config: opts.config, wake: () => app.jobs.wake() });
  await app.register(teamRoutes, { now });
  await app.register(dataExportRoutes, { now, kick: () => app.jobs.buildExports(), ratePerMinute: opts.config.dataExportRateLimitPerMinute });
  await app.register(privacyRoutes, { config: opts.config, now });
}, { name: 'tissu' });

export async function buildApp(opts: AppOptions & { logger?: boolean | object }): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? loggerOptions(opts.config),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    bodyLimit: 256 * 1024,
    trustProxy: opts.config.trustProxy === 'true' ? true : opts.config.trustProxy === 'false' ? false : opts.config.trustProxy,
    routerOptions: { maxParamLength: 200 },
    // A URL the router refuses (bad percent-encoding, a parameter over maxParamLength) never reaches
    // the error handler: answer it with the same error body as every other 4xx.
    frameworkErrors: (err, req, reply) => {
      // A feed's address too long or badly encoded opens no feed: 404, as any wrong address does.
      if (req.url.startsWith('/calendar-feeds/')) {
        return (reply as unknown as FastifyReply).code(404).header('cache-control', 'private, no-store')
          .send({ error: { code: 'not_found', message: 'Calendar not found' } });
      }
      const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 400;
      const message = status === 414 ? 'A part of the address is too long' : 'The address is not valid';
      (reply as unknown as FastifyReply).code(status).send({ error: { code: status === 414 ? 'uri_too_long' : 'bad_request', message } });
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  await app.register(tissuApp, opts);
  return app;
}
