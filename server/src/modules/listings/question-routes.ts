import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody, IdParams, ListingQuestionList, ListingQuestionsBody, MAX_QUESTIONS } from '@tissu/shared';
import type { ListingQuestionsService } from './questions.js';

const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** A listing's booking questions: its co-op's admins send the whole list; the listing's answer shows them to everyone. */
export const listingQuestionRoutes: FastifyPluginAsyncZod<{ questions: ListingQuestionsService }> = async (app, { questions }) => {
  app.put('/listings/:id/questions', {
    schema: {
      tags: ['listings'], security,
      summary: `Replace a listing's booking questions (its co-op's admins; at most ${MAX_QUESTIONS}, asked in this order)`,
      description: 'A question with its `id` keeps it (and is changed); one without is added; one left out is removed. ' +
        'Bookings keep the answers as they were asked: changing the questions never changes them.',
      params: IdParams, body: ListingQuestionsBody, response: { 200: ListingQuestionList, ...errors },
    },
  }, async (req) => ({ items: await questions.replace(req.actor, req.params.id, req.body) }));
};
