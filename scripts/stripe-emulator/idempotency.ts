import type { FastifyInstance, FastifyRequest } from 'fastify';
import { StripeApiError } from './errors.js';
import { isSavedForIdempotency, requestContext } from './request-context.js';

interface SavedResponse {
  endpoint: string;
  fingerprint: string;
  statusCode: number;
  body: string;
  requestId: string;
}

interface Pending {
  key: string;
  endpoint: string;
  fingerprint: string;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function idempotencyError(message: string, statusCode = 400): StripeApiError {
  return new StripeApiError(statusCode, { type: 'idempotency_error', message }, false);
}

/**
 * Stripe's idempotent requests: a POST repeated with the same `Idempotency-Key`, endpoint and
 * parameters gets the first response back (header `Idempotent-Replayed: true`) and changes
 * nothing; the same key with other parameters or on another endpoint is an idempotency_error.
 */
export function registerIdempotency(app: FastifyInstance): void {
  const saved = new Map<string, SavedResponse>();
  const inFlight = new Set<string>();
  const pending = new WeakMap<FastifyRequest, Pending>();

  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST' || !req.url.startsWith('/v1/')) return;
    const key = requestContext(req).idempotencyKey;
    if (!key) return;
    const endpoint = `POST ${req.url.split('?')[0]}`;
    const fingerprint = canonical(req.body ?? {});
    const prior = saved.get(key);
    if (prior) {
      if (prior.endpoint !== endpoint) {
        throw idempotencyError(
          `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${prior.endpoint}' vs '${endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      if (prior.fingerprint !== fingerprint) {
        throw idempotencyError(
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      reply
        .code(prior.statusCode)
        .header('Idempotent-Replayed', 'true')
        .header('Original-Request', prior.requestId)
        .type('application/json; charset=utf-8');
      return reply.send(prior.body);
    }
    if (inFlight.has(key)) {
      throw idempotencyError(
        `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
        409,
      );
    }
    inFlight.add(key);
    pending.set(req, { key, endpoint, fingerprint });
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const p = pending.get(req);
    if (!p) return payload;
    pending.delete(req);
    inFlight.delete(p.key);
    const status = reply.statusCode;
    // Validation failures and server errors are not saved: Stripe lets the same key be retried.
    if (status < 500 && status !== 401 && isSavedForIdempotency(req) && typeof payload === 'string') {
      saved.set(p.key, {
        endpoint: p.endpoint,
        fingerprint: p.fingerprint,
        statusCode: status,
        body: payload,
        requestId: requestContext(req).requestId ?? '',
      });
    }
    return payload;
  });
}
