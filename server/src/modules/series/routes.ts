import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AssignWorkersBody, CreateSeriesBody, ErrorBody, IdParams, IdempotencyHeaders, Series, SeriesChangeBody, SeriesChangePreview, SeriesChangePreviewQuery, SeriesDeclineBody, SeriesEndBody,
  SeriesGapBody, SeriesGapParams, SeriesList, SeriesListQuery, SeriesPauseBody, SeriesStopPreview, SeriesStopPreviewQuery, SeriesPreview, SeriesPreviewQuery, SeriesResumeBody, SeriesRoom,
} from '@tissu/shared';
import { idempotent } from '../../idempotency.js';
import { fromInquiry } from '../../flows/conversation-links.js';
import { createSeriesPayments } from '../../flows/series-payments.js';
import { seriesOutsiders404 } from './access.js';
import type { Config } from '../../plugins/env.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['series'];
const security = [{ bearer: [] }];

export const seriesRoutes: FastifyPluginAsyncZod<{ config: Config; now: () => Date; wake?: () => void }> = async (app, opts) => {
  const outsiders = seriesOutsiders404(app.db);
  const series = createSeriesPayments({ db: app.db, gateway: app.payments, paymentWindowHours: opts.config.paymentWindowHours, now: opts.now, wake: opts.wake });

  // A preview locks the listing's calendar while it runs the change it shows: a person needs a few a minute.
  const previewLimit = { rateLimit: { max: 60, timeWindow: '1 minute' } };
  app.get('/listings/:id/series-preview', {
    schema: { tags, summary: 'The first visits of regular visits before booking them: which are free, and what is free nearby', params: IdParams, querystring: SeriesPreviewQuery, response: { 200: SeriesPreview, ...errors } },
  }, async (req) => series.preview(req.params.id, req.query));

  app.get('/listings/:id/series-room', {
    schema: { tags, security, summary: 'How many regular visits the signed-in client runs, on this listing and in all, against the limits', params: IdParams, response: { 200: SeriesRoom, ...errors } },
  }, async (req) => series.room(req.actor, req.params.id));

  app.post('/series', {
    schema: { tags, security, summary: 'Book regular visits: the series and its first visits, in one transaction', headers: IdempotencyHeaders, body: CreateSeriesBody, response: { 201: Series, ...errors } },
  }, async (req, reply) => idempotent(app.db, req, reply, 201, () => series.create(req.actor, req.body, fromInquiry(req.body.conversationId, 'series'))));

  app.get('/series', {
    schema: { tags, security, querystring: SeriesListQuery, response: { 200: SeriesList, ...errors } },
  }, async (req) => series.list(req.actor, req.query));

  app.get('/series/:id', { schema: { tags, security, params: IdParams, response: { 200: Series, ...errors } } }, async (req) => series.get(req.actor, req.params.id));

  app.post('/series/:id/accept', { preValidation: outsiders, schema: { tags, security, params: IdParams, body: z.object({}).default({}), response: { 200: Series, ...errors } } },
    async (req) => series.accept(req.actor, req.params.id));
  app.post('/series/:id/decline', { preValidation: outsiders, schema: { tags, security, params: IdParams, body: SeriesDeclineBody, response: { 200: Series, ...errors } } },
    async (req) => series.decline(req.actor, req.params.id, req.body.reason));
  app.put('/series/:id/workers', { preValidation: outsiders, schema: { tags, security, params: IdParams, body: AssignWorkersBody, response: { 200: Series, ...errors } } },
    async (req) => series.assign(req.actor, req.params.id, req.body.userIds));
  app.post('/series/:id/change', { preValidation: outsiders, schema: { tags, security, summary: 'From a date on: a new time or frequency', params: IdParams, body: SeriesChangeBody, response: { 200: Series, ...errors } } },
    async (req) => series.change(req.actor, req.params.id, req.body));
  app.get('/series/:id/change-preview', {
    preValidation: outsiders, config: previewLimit,
    schema: { tags, security, summary: 'Before a change from a date: the visits it would cancel, the coming visits as they would be, and whether the first new one falls closer to the one before than usual; nothing is written', params: IdParams, querystring: SeriesChangePreviewQuery, response: { 200: SeriesChangePreview, ...errors } },
  }, async (req) => series.changePreview(req.actor, req.params.id, req.query));
  app.post('/series/:id/pause', { preValidation: outsiders, schema: { tags, security, params: IdParams, body: SeriesPauseBody, response: { 200: Series, ...errors } } },
    async (req) => series.pause(req.actor, req.params.id, req.body));
  app.get('/series/:id/pause-preview', {
    preValidation: outsiders, config: previewLimit,
    schema: { tags, security, summary: 'Before a pause: the visits it would cancel and what each paid one would refund; nothing is written', params: IdParams, querystring: SeriesStopPreviewQuery, response: { 200: SeriesStopPreview, ...errors } },
  }, async (req) => series.stopPreview(req.actor, req.params.id, req.query.from, 'pause'));
  app.post('/series/:id/resume', { preValidation: outsiders, schema: { tags, security, params: IdParams, body: SeriesResumeBody, response: { 200: Series, ...errors } } },
    async (req) => series.resume(req.actor, req.params.id, req.body));
  app.post('/series/:id/end', { preValidation: outsiders, schema: { tags, security, summary: 'No visit from a date on (the co-op says why)', params: IdParams, body: SeriesEndBody, response: { 200: Series, ...errors } } },
    async (req) => series.end(req.actor, req.params.id, req.body));
  app.get('/series/:id/end-preview', {
    preValidation: outsiders, config: previewLimit,
    schema: { tags, security, summary: "Before an end: the visits it would cancel and what each paid one would refund (in full when the co-op ends it); nothing is written", params: IdParams, querystring: SeriesStopPreviewQuery, response: { 200: SeriesStopPreview, ...errors } },
  }, async (req) => series.stopPreview(req.actor, req.params.id, req.query.from, 'end'));
  app.post('/series/:id/gaps/:date', { preValidation: outsiders, schema: { tags, security, summary: 'Skip a visit that cannot take place, or move it to a free time', params: SeriesGapParams, body: SeriesGapBody, response: { 200: Series, ...errors } } },
    async (req) => series.resolveGap(req.actor, req.params.id, req.params.date, req.body));
};
