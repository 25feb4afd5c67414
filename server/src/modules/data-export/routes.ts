import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DataExport, DataExportList, DataExportTokenParams, ErrorBody } from '@tissu/shared';
import { createDataExports } from './service.js';

const security = [{ bearer: [] }];
const tags = ['account'];
const errors = { 401: ErrorBody, 404: ErrorBody, 409: ErrorBody, 410: ErrorBody, 429: ErrorBody };
export const dataExportRoutes: FastifyPluginAsyncZod<{ now: () => Date; kick: () => void; ratePerMinute: number }> = async (app, { now, kick, ratePerMinute }) => {
  /** Per person and minute, on top of the few a day the service allows: a form clicked in a loop stops here. */
  const limit = { rateLimit: { max: ratePerMinute, timeWindow: '1 minute', keyGenerator: (req: { actor: { userId: string } | null; ip: string }) => req.actor?.userId ?? req.ip } };
  const exports = createDataExports({ db: app.db, now, kick, log: app.log });

  app.get('/me/data-exports', { schema: { tags, security, summary: 'Her requests for an archive of her data, newest first', response: { 200: DataExportList, ...errors } } },
    async (req) => exports.list(req.actor));

  app.post('/me/data-exports', {
    config: limit,
    schema: { tags, security, summary: 'Ask for an archive of everything Tissu holds about her; a link is emailed when it is ready', response: { 202: DataExport, ...errors } },
  }, async (req, reply) => reply.code(202).send(await exports.request(req.actor)));

  app.get('/me/data-exports/link/:token', {
    config: limit,
    schema: { tags, security, params: DataExportTokenParams, summary: 'What an emailed link opens (the archive it downloads), before downloading it', response: { 200: DataExport, ...errors } },
  }, async (req) => exports.linked(req.actor, req.params.token));

  app.get('/me/data-exports/archive/:token', {
    config: limit,
    schema: {
      tags, security, params: DataExportTokenParams,
      summary: 'The archive (zip) behind an emailed link: only for the person it was made for, signed in',
      response: { 200: z.string().describe('application/zip'), ...errors },
    },
  }, async (req, reply) => {
    const { archive, requestedAt } = await exports.download(req.actor, req.params.token);
    return reply.headers({
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="tissu-${requestedAt.toISOString().slice(0, 10)}.zip"`,
      'cache-control': 'private, no-store',
        // Bytes, sent as they are: Fastify serialises no Buffer (the schema only documents the answer).
    }).send(archive as unknown as string);
  });
};
