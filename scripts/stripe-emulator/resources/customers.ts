import type { FastifyInstance } from 'fastify';
import type { Emulator } from '../context.js';
import { noSuch, paramError } from '../errors.js';
import { newId, nowSeconds } from '../ids.js';
import { allowOnly, asParams, expandPaths, list, metadata, obj, requiredStr, str, type Params } from '../params.js';
import { requestContext } from '../request-context.js';
import { copy, expand, paginate } from '../store.js';
import type { ApiObject, Customer, Metadata, PaymentMethod, RequestContext } from '../types.js';

const FIELDS = ['email', 'name', 'description', 'phone', 'metadata', 'invoice_settings', 'preferred_locales'] as const;

interface DeletedCustomer extends ApiObject {
  object: 'customer';
  deleted: true;
}

function isDeleted(o: ApiObject): o is DeletedCustomer {
  return o.deleted === true;
}

/** A customer that exists and is not deleted; Stripe answers a deleted one as missing when it is used. */
export function requireCustomer(emu: Emulator, id: string, param = 'customer'): Customer {
  const found = emu.store.get<Customer>(id, 'customer');
  if (!found || isDeleted(found)) throw noSuch('customer', id, param);
  return found;
}

export function paymentMethodsOf(emu: Emulator, customerId: string): PaymentMethod[] {
  return emu.store.all<PaymentMethod>('payment_method').filter((pm) => pm.customer === customerId);
}

/** Metadata on update merges; a key set to '' is removed, and `metadata=''` clears them all. */
function mergeMetadata(current: Metadata, raw: unknown): Metadata {
  if (raw === '') return {};
  const incoming = obj(raw, 'metadata') ?? {};
  const merged = { ...current, ...metadata(raw) };
  for (const [key, value] of Object.entries(incoming)) if (value === '') delete merged[key];
  return merged;
}

function defaultPaymentMethod(emu: Emulator, customer: Customer, raw: unknown): string | null {
  const param = 'invoice_settings[default_payment_method]';
  const id = str(raw, param);
  if (!id) return null;
  const pm = emu.store.get<PaymentMethod>(id, 'payment_method');
  if (!pm || pm.customer !== customer.id) {
    throw paramError('resource_missing', `The customer does not have a payment method with the ID ${id}. The payment method must be attached to the customer.`, param);
  }
  return pm.id;
}

function applyFields(emu: Emulator, customer: Customer, p: Params): void {
  if (p.email !== undefined) customer.email = str(p.email, 'email') ?? null;
  if (p.name !== undefined) customer.name = str(p.name, 'name') ?? null;
  if (p.description !== undefined) customer.description = str(p.description, 'description') ?? null;
  if (p.phone !== undefined) customer.phone = str(p.phone, 'phone') ?? null;
  if (p.metadata !== undefined) customer.metadata = mergeMetadata(customer.metadata, p.metadata);
  if (p.preferred_locales !== undefined) customer.preferred_locales = (list(p.preferred_locales, 'preferred_locales') ?? []).map((l, i) => requiredStr(l, `preferred_locales[${i}]`));
  const settings = obj(p.invoice_settings, 'invoice_settings');
  if (settings) {
    allowOnly(settings, ['default_payment_method'], 'invoice_settings');
    if (settings.default_payment_method !== undefined) {
      customer.invoice_settings = { ...customer.invoice_settings, default_payment_method: defaultPaymentMethod(emu, customer, settings.default_payment_method) };
    }
  }
}

export function createCustomer(emu: Emulator, p: Params, ctx: RequestContext): Customer {
  allowOnly(p, FIELDS);
  const id = newId('customer');
  const customer = emu.store.put<Customer>({
    id,
    object: 'customer',
    address: null,
    balance: 0,
    created: nowSeconds(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: id.slice(4, 12).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  });
  applyFields(emu, customer, { ...p, metadata: p.metadata ?? {} });
  emu.events.emit('customer.created', customer, ctx);
  return customer;
}

/** Changes the customer and sends customer.updated with what it was before, when something changed. */
export function updateCustomer(emu: Emulator, customer: Customer, p: Params, ctx: RequestContext): Customer {
  allowOnly(p, FIELDS);
  const before = copy(customer);
  applyFields(emu, customer, p);
  const previous: Record<string, unknown> = {};
  for (const key of Object.keys(customer)) {
    if (JSON.stringify(customer[key]) !== JSON.stringify(before[key])) previous[key] = before[key];
  }
  if (Object.keys(previous).length > 0) emu.events.emit('customer.updated', customer, ctx, previous);
  return customer;
}

/** Deleting a customer detaches its payment methods; the id then answers `{ deleted: true }`. */
function deleteCustomer(emu: Emulator, customer: Customer, ctx: RequestContext): DeletedCustomer {
  for (const pm of paymentMethodsOf(emu, customer.id)) pm.customer = null;
  emu.events.emit('customer.deleted', customer, ctx);
  return emu.store.put<DeletedCustomer>({ id: customer.id, object: 'customer', deleted: true });
}

export function registerCustomerRoutes(app: FastifyInstance, emu: Emulator): void {
  app.post('/v1/customers', async (req) => {
    const p = asParams(req.body);
    return expand(createCustomer(emu, p, requestContext(req)), expandPaths(p), emu.store);
  });

  app.get<{ Params: { id: string } }>('/v1/customers/:id', async (req) => {
    const found = emu.store.get<Customer>(req.params.id, 'customer');
    if (!found) throw noSuch('customer', req.params.id, 'id');
    return expand(found, expandPaths(asParams(req.query)), emu.store);
  });

  app.post<{ Params: { id: string } }>('/v1/customers/:id', async (req) => {
    const p = asParams(req.body);
    const customer = requireCustomer(emu, req.params.id, 'id');
    return expand(updateCustomer(emu, customer, p, requestContext(req)), expandPaths(p), emu.store);
  });

  app.delete<{ Params: { id: string } }>('/v1/customers/:id', async (req) => deleteCustomer(emu, requireCustomer(emu, req.params.id, 'id'), requestContext(req)));

  app.get('/v1/customers', async (req) => {
    const q = asParams(req.query);
    const email = str(q.email, 'email');
    const customers = emu.store.all<Customer>('customer').filter((c) => !isDeleted(c) && (!email || c.email === email));
    return paginate(customers, q, '/v1/customers');
  });

  app.get<{ Params: { id: string } }>('/v1/customers/:id/payment_methods', async (req) => {
    const q = asParams(req.query);
    requireCustomer(emu, req.params.id, 'customer');
    str(q.type, 'type', { oneOf: ['card'] });
    return paginate(paymentMethodsOf(emu, req.params.id), q, `/v1/customers/${req.params.id}/payment_methods`);
  });

  app.get<{ Params: { id: string; pm: string } }>('/v1/customers/:id/payment_methods/:pm', async (req) => {
    requireCustomer(emu, req.params.id, 'customer');
    const pm = emu.store.get<PaymentMethod>(req.params.pm, 'payment_method');
    if (!pm || pm.customer !== req.params.id) throw noSuch('payment_method', req.params.pm, 'payment_method');
    return expand(pm, expandPaths(asParams(req.query)), emu.store);
  });
}
