import type { FastifyInstance } from 'fastify';
import type { Emulator } from '../context.js';
import { asParams, expandPaths, str } from '../params.js';
import { expand, paginate } from '../store.js';
import type { ApiObject, ApplicationFee, BalanceTransaction, Charge, PaymentIntent } from '../types.js';

/** Read-only resources, as reconciliation reads them: retrieve with expand[], and lists. */
export function registerPaymentRoutes(app: FastifyInstance, emu: Emulator): void {
  const retrieve = <T extends ApiObject>(path: string, objectName: string, param: string) =>
    app.get<{ Params: { id: string } }>(path, async (req) => {
      const found = emu.store.require<T>(req.params.id, objectName, param);
      return expand(found, expandPaths(asParams(req.query)), emu.store);
    });

  const listed = <T extends ApiObject>(path: string, objectName: string, filter: (o: T, q: Record<string, unknown>) => boolean = () => true) =>
    app.get(path, async (req) => {
      const q = asParams(req.query);
      const page = paginate(emu.store.all<T>(objectName).filter((o) => filter(o, q)), q, path);
      const paths = expandPaths(q).filter((p) => p.startsWith('data.')).map((p) => p.slice(5));
      return paths.length ? { ...page, data: page.data.map((o) => expand(o, paths, emu.store)) } : page;
    });

  retrieve<PaymentIntent>('/v1/payment_intents/:id', 'payment_intent', 'intent');
  listed<PaymentIntent>('/v1/payment_intents', 'payment_intent', (pi, q) => {
    const customer = str(q.customer, 'customer');
    return !customer || pi.customer === customer;
  });

  retrieve<Charge>('/v1/charges/:id', 'charge', 'id');
  listed<Charge>('/v1/charges', 'charge', (ch, q) => {
    const pi = str(q.payment_intent, 'payment_intent');
    const group = str(q.transfer_group, 'transfer_group');
    return (!pi || ch.payment_intent === pi) && (!group || ch.transfer_group === group);
  });

  retrieve<BalanceTransaction>('/v1/balance_transactions/:id', 'balance_transaction', 'id');
  listed<BalanceTransaction>('/v1/balance_transactions', 'balance_transaction', (t, q) => {
    const type = str(q.type, 'type');
    const source = str(q.source, 'source');
    return (!type || t.type === type) && (!source || t.source === source);
  });

  retrieve<ApplicationFee>('/v1/application_fees/:id', 'application_fee', 'id');
  listed<ApplicationFee>('/v1/application_fees', 'application_fee', (f, q) => {
    const charge = str(q.charge, 'charge');
    return !charge || f.charge === charge;
  });
}
