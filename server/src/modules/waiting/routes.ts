import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody, Waiting } from '@tissu/shared';
import { createWaitingService } from './service.js';

export const waitingRoutes: FastifyPluginAsyncZod = async (app) => {
  const waiting = createWaitingService(app.db);

  app.get('/me/waiting', {
    schema: {
      tags: ['auth'],
      security: [{ bearer: [] }],
      summary: "How many requests wait for the signed-in person's answer (co-op booking requests, co-op applications for stewards)",
      response: { 200: Waiting, 401: ErrorBody },
    },
  }, async (req) => waiting.forActor(req.actor));
};
