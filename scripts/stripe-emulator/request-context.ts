import type { FastifyRequest } from 'fastify';
import { newId } from './ids.js';
import type { RequestContext } from './types.js';

/** Per-request facts kept beside the request rather than decorated onto Fastify's types. */
const contexts = new WeakMap<FastifyRequest, RequestContext>();
const notSavedForIdempotency = new WeakSet<FastifyRequest>();

export function startRequestContext(req: FastifyRequest): RequestContext {
  const header = req.headers['idempotency-key'];
  const ctx: RequestContext = {
    requestId: newId('request'),
    idempotencyKey: typeof header === 'string' && header !== '' ? header : null,
  };
  contexts.set(req, ctx);
  return ctx;
}

export function requestContext(req: FastifyRequest): RequestContext {
  return contexts.get(req) ?? startRequestContext(req);
}

export function markNotSavedForIdempotency(req: FastifyRequest): void {
  notSavedForIdempotency.add(req);
}

export function isSavedForIdempotency(req: FastifyRequest): boolean {
  return !notSavedForIdempotency.has(req);
}
