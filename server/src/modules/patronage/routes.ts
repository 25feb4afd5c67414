import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ErrorBody, IdParams, PlanBody, PlanPayment, PlanView, ProposeBody, SimulateBody, SimulationResult, StatementList, StatementsQuery,
  StewardStatementsQuery, UpdatePlanBody, YearIdParams,
  IdempotencyHeaders,
} from '@tissu/shared';
import { idempotent } from '../../idempotency.js';
import { createPlanPayments } from '../../flows/pay-plan.js';
import { createPlansService } from './plans.js';
import { createStatementsService } from './statements.js';
import { statementsCsv } from './statements-csv.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const security = [{ bearer: [] }];
const tags = ['patronage'];
/** CSV answers are text: with a non-JSON content type Fastify sends the string as it is. */
const csvResponse = { 200: z.string().describe('CSV, UTF-8 with a byte-order mark'), ...errors };
const csv = (name: string) => ({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` });

export const patronageRoutes: FastifyPluginAsyncZod<{ now: () => Date; wake: () => void }> = async (app, { now, wake }) => {
  const plans = createPlansService({ db: app.db, now, wake });
  const payments = createPlanPayments({ db: app.db, gateway: app.payments, now });
  const statements = createStatementsService(app.db);

  app.post('/steward/fiscal-years/:id/plans', { schema: { tags, security, params: YearIdParams, headers: IdempotencyHeaders, body: PlanBody, response: { 201: PlanView, ...errors } } },
    async (req, reply) => idempotent(app.db, req, reply, 201, () => plans.create(req.actor, req.params.id, req.body)));
  app.patch('/steward/plans/:id', { schema: { tags, security, params: IdParams, body: UpdatePlanBody, response: { 200: PlanView, ...errors } } },
    async (req) => plans.update(req.actor, req.params.id, req.body));
  app.post('/steward/plans/:id/simulate', { schema: { tags, security, params: IdParams, body: SimulateBody, response: { 200: SimulationResult, ...errors } } },
    async (req) => plans.simulate(req.actor, req.params.id, req.body.variations));
  app.post('/steward/plans/:id/propose', { schema: { tags, security, params: IdParams, body: ProposeBody, response: { 200: PlanView, ...errors } } },
    async (req) => plans.propose(req.actor, req.params.id, req.body));
  app.post('/steward/plans/:id/pay', { schema: { tags, security, params: IdParams, response: { 200: PlanPayment, ...errors, 502: ErrorBody } } },
    async (req) => {
      const paid = await payments.pay(req.actor, req.params.id);
      return { ...paid, plan: await plans.get(req.actor, req.params.id) };
    });
  app.get('/plans/:id', { schema: { tags, security, params: IdParams, response: { 200: PlanView, ...errors } } },
    async (req) => plans.get(req.actor, req.params.id));

  app.get('/patronage/statements', { schema: { tags, security, querystring: StatementsQuery, response: { 200: StatementList, ...errors } } },
    async (req) => statements.mine(req.actor, req.query));
  app.get('/patronage/statements.csv', { schema: { tags, security, querystring: StatementsQuery, response: csvResponse } },
    async (req, reply) => reply.headers(csv('ristournes.csv')).send(statementsCsv((await statements.mine(req.actor, req.query)).statements, req.query.lang)));
  app.get('/steward/statements.csv', { schema: { tags, security, querystring: StewardStatementsQuery, response: csvResponse } },
    async (req, reply) => reply.headers(csv(`ristournes-${req.query.planId}.csv`)).send(statementsCsv(await statements.ofPlan(req.actor, req.query.planId), req.query.lang)));
};
