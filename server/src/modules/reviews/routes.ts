import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody, IdParams, ReplyBody, Review, ReviewBody, ReviewList } from '@tissu/shared';
import { createReviewsService } from './service.js';
import { outsidersAnswer404 } from '../bookings/index.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['reviews'];
const security = [{ bearer: [] }];

export const reviewsRoutes: FastifyPluginAsyncZod = async (app) => {
  const reviews = createReviewsService(app.db);

  app.post('/bookings/:id/review', {
    preValidation: outsidersAnswer404(app.db),
    schema: { tags, security, params: IdParams, body: ReviewBody, response: { 201: Review, ...errors } },
  }, async (req, reply) => reply.code(201).send(await reviews.review(req.actor, req.params.id, req.body)));

  app.post('/reviews/:id/reply', {
    schema: { tags, security, params: IdParams, body: ReplyBody, response: { 200: Review, ...errors } },
  }, async (req) => reviews.reply(req.actor, req.params.id, req.body.reply));

  app.get('/listings/:id/reviews', {
    schema: { tags, params: IdParams, response: { 200: ReviewList, ...errors } },
  }, async (req) => reviews.list({ listingId: req.params.id }));

  app.get('/coops/:id/reviews', {
    schema: { tags, params: IdParams, response: { 200: ReviewList, ...errors } },
  }, async (req) => reviews.list({ coopId: req.params.id }));
};
