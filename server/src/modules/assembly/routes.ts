import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CreateProposalBody, ErrorBody, IdParams, Proposal, ProposalList, VoteBody, VoteReceipt, IdempotencyHeaders } from '@tissu/shared';
import { idempotent } from '../../idempotency.js';
import { createAssembly } from '../../flows/assembly-decisions.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const security = [{ bearer: [] }];
const tags = ['assembly'];

export const assemblyRoutes: FastifyPluginAsyncZod<{ now: () => Date }> = async (app, { now }) => {
  const assembly = createAssembly({ db: app.db, now });

  app.post('/steward/proposals', { schema: { tags, security, headers: IdempotencyHeaders, body: CreateProposalBody, response: { 201: Proposal, ...errors } } },
    async (req, reply) => idempotent(app.db, req, reply, 201, () => assembly.create(req.actor, req.body)));
  app.get('/proposals', { schema: { tags, security, response: { 200: ProposalList, ...errors } } },
    async (req) => assembly.list(req.actor));
  app.post('/proposals/:id/votes', { schema: { tags, security, params: IdParams, body: VoteBody, response: { 201: VoteReceipt, ...errors } } },
    async (req, reply) => reply.code(201).send(await assembly.vote(req.actor, req.params.id, req.body)));
  app.post('/steward/proposals/:id/close', { schema: { tags, security, params: IdParams, response: { 200: Proposal, ...errors } } },
    async (req) => assembly.close(req.actor, req.params.id));
};
