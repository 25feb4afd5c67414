import type { FastifyInstance } from 'fastify';
import type { Emulator } from '../context.js';
import { asParams, list, str } from '../params.js';
import { copy, paginate } from '../store.js';
import type { StripeEvent } from '../types.js';

export function registerEventRoutes(app: FastifyInstance, emu: Emulator): void {
  app.get<{ Params: { id: string } }>('/v1/events/:id', async (req) => copy(emu.store.require<StripeEvent>(req.params.id, 'event', 'id')));

  app.get('/v1/events', async (req) => {
    const q = asParams(req.query);
    const type = str(q.type, 'type');
    const types = (list(q.types, 'types') ?? []).filter((t): t is string => typeof t === 'string');
    const matches = (e: StripeEvent) =>
      (!type || (type.endsWith('.*') ? e.type.startsWith(type.slice(0, -1)) : e.type === type)) &&
      (types.length === 0 || types.includes(e.type));
    return paginate(emu.store.all<StripeEvent>('event').filter(matches), q, '/v1/events');
  });
}
