import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CreateFiscalYearBody, ErrorBody, FiscalRecord, FiscalRecordBody, FiscalRecordList, FiscalRecordsQuery, FiscalYear, FiscalYearList, TransparencyReport, YearIdParams, IdempotencyHeaders } from '@tissu/shared';
import { idempotent } from '../../idempotency.js';
import { createFiscalService } from './service.js';
import { createTransparencyService } from '../../flows/transparency.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const security = [{ bearer: [] }];
const tags = ['fiscal'];

export const fiscalRoutes: FastifyPluginAsyncZod<{ now: () => Date }> = async (app, { now }) => {
  const fiscal = createFiscalService({ db: app.db, now });
  const transparency = createTransparencyService({ db: app.db, now });

  app.get('/transparency', { schema: { tags: ['transparency'], response: { 200: TransparencyReport } } }, async () => transparency.report());

  app.get('/steward/fiscal-years', { schema: { tags, security, response: { 200: FiscalYearList, ...errors } } },
    async (req) => fiscal.list(req.actor));
  app.post('/steward/fiscal-years', { schema: { tags, security, headers: IdempotencyHeaders, body: CreateFiscalYearBody, response: { 201: FiscalYear, ...errors } } },
    async (req, reply) => idempotent(app.db, req, reply, 201, () => fiscal.create(req.actor, req.body.startsOn, req.body.confirmPastDeadline)));
  app.get('/steward/fiscal-years/:id', { schema: { tags, security, params: YearIdParams, response: { 200: FiscalYear, ...errors } } },
    async (req) => fiscal.get(req.actor, req.params.id));
  app.post('/steward/fiscal-years/:id/close', { schema: { tags, security, params: YearIdParams, response: { 200: FiscalYear, ...errors } } },
    async (req) => fiscal.close(req.actor, req.params.id));

  app.post('/steward/fiscal-records', { schema: { tags, security, headers: IdempotencyHeaders, body: FiscalRecordBody, response: { 201: FiscalRecord, ...errors } } },
    async (req, reply) => idempotent(app.db, req, reply, 201, () => fiscal.record(req.actor, req.body)));
  app.get('/steward/fiscal-records', { schema: { tags, security, querystring: FiscalRecordsQuery, response: { 200: FiscalRecordList, ...errors } } },
    async (req) => fiscal.records(req.actor, req.query.yearId));
};
