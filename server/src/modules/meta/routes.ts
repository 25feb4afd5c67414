import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CATEGORIES, ErrorBody, REGIONS, SERVICE_LANGUAGES, Taxonomy, isLoopbackAddress } from '@tissu/shared';
import { notFound } from '../../errors.js';

const Health = z.object({ status: z.enum(['ok', 'degraded']), database: z.enum(['ok', 'down']) });
const Mailbox = z.object({
  items: z.array(
    z.object({
      id: z.string(), to: z.string(), subject: z.string(), text: z.string(), html: z.string().nullable(), sentAt: z.string(),
      attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), content: z.string() })),
    }),
  ),
});

export const metaRoutes: FastifyPluginAsyncZod<{ production: boolean }> = async (app, { production }) => {
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

  /**
   * The development mailbox: messages kept in the local folder when no SMTP server is set. They
   * hold password-reset links, so only this machine may read them (the socket's peer, not a
   * header), and never in production.
   */
  app.get('/dev/mail', { schema: { tags: ['meta'], response: { 200: Mailbox, 404: ErrorBody } } }, async (req) => {
    if (production || !app.mailer.local || !isLoopbackAddress(req.socket.remoteAddress)) throw notFound('Mailbox');
    const items = await app.mailer.list();
    return { items: items.map((m) => ({ ...m, attachments: m.attachments ?? [] })) };
  });
};
