import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CATEGORIES, ErrorBody, REGIONS, SERVICE_LANGUAGES, Taxonomy } from '@tissu/shared';
import { notFound } from '../../errors.js';

const Health = z.object({ status: z.enum(['ok', 'degraded']), database: z.enum(['ok', 'down']) });
const Mailbox = z.object({
  items: z.array(
    z.object({ id: z.string(), to: z.string(), subject: z.string(), text: z.string(), html: z.string().nullable(), sentAt: z.string() }),
  ),
});

export const metaRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/health', { schema: { tags: ['meta'], response: { 200: Health, 503: Health } } }, async (req, reply) => {
    try {
      await app.database.sql`SELECT 1`;
      return { status: 'ok' as const, database: 'ok' as const };
    } catch (err) {
      req.log.error({ err }, 'health check: database unreachable');
      return reply.code(503).send({ status: 'degraded' as const, database: 'down' as const });
    }
  });

  app.get('/taxonomy', { schema: { tags: ['meta'], response: { 200: Taxonomy } } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return { categories: [...CATEGORIES], regions: [...REGIONS], languages: [...SERVICE_LANGUAGES] };
  });

  /** The development mailbox: messages kept in the local folder when no SMTP server is set. */
  app.get('/dev/mail', { schema: { tags: ['meta'], response: { 200: Mailbox, 404: ErrorBody } } }, async () => {
    if (!app.mailer.local) throw notFound('Mailbox');
    return { items: await app.mailer.list() };
  });
};
