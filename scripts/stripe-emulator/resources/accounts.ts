import type { FastifyInstance } from 'fastify';
import type { Emulator } from '../context.js';
import { invalidRequest, paramError } from '../errors.js';
import { newId, nowSeconds } from '../ids.js';
import { allowOnly, asParams, bool, expandPaths, metadata, obj, requiredStr, str, type Params } from '../params.js';
import { requestContext } from '../request-context.js';
import { copy, expand, paginate } from '../store.js';
import { noRequest, type Account, type RequestContext, type Requirements } from '../types.js';

const CAPABILITIES = ['card_payments', 'transfers'] as const;

/** What Stripe asks a new Canadian Express account for before it can take payments. */
function initialRequirements(businessType: string | null): string[] {
  const common = ['business_profile.mcc', 'business_profile.url', 'external_account', 'tos_acceptance.date', 'tos_acceptance.ip'];
  const holder =
    businessType === 'individual'
      ? ['individual.address.city', 'individual.address.line1', 'individual.address.postal_code', 'individual.dob.day', 'individual.dob.month', 'individual.dob.year', 'individual.first_name', 'individual.last_name', 'individual.id_number']
      : businessType
        ? ['company.address.city', 'company.address.line1', 'company.address.postal_code', 'company.name', 'company.tax_id', 'representative.first_name', 'representative.last_name', 'representative.dob.day', 'representative.dob.month', 'representative.dob.year']
        : ['business_type'];
  return [...common, ...holder].sort();
}

function requirements(due: string[], disabledReason: string | null): Requirements {
  return {
    alternatives: [],
    current_deadline: null,
    currently_due: [...due],
    disabled_reason: due.length > 0 ? disabledReason : null,
    errors: [],
    eventually_due: [...due],
    past_due: [...due],
    pending_verification: [],
  };
}

/** Accounts created with `controller` instead of `type`: the dashboard they get says which kind they are. */
function typeFromController(p: Params): string {
  const controller = obj(p.controller, 'controller') ?? {};
  const dashboard = obj(controller.stripe_dashboard, 'controller[stripe_dashboard]') ?? {};
  const kind = str(dashboard.type, 'controller[stripe_dashboard][type]', { oneOf: ['express', 'full', 'none'] }) ?? 'express';
  return kind === 'full' ? 'standard' : kind === 'none' ? 'custom' : 'express';
}

export function createAccount(emu: Emulator, p: Params): Account {
  allowOnly(p, ['type', 'controller', 'country', 'email', 'capabilities', 'business_type', 'business_profile', 'metadata', 'default_currency', 'tos_acceptance']);
  const type = str(p.type, 'type', { oneOf: ['express', 'standard', 'custom'] }) ?? typeFromController(p);
  const businessType = str(p.business_type, 'business_type', { oneOf: ['individual', 'company', 'non_profit', 'government_entity'] }) ?? null;
  const requested = obj(p.capabilities, 'capabilities') ?? {};
  allowOnly(requested, CAPABILITIES, 'capabilities');
  const capabilities: Account['capabilities'] = {};
  for (const name of CAPABILITIES) {
    const cap = obj(requested[name], `capabilities[${name}]`);
    if (cap && bool(cap.requested, `capabilities[${name}][requested]`)) capabilities[name] = 'inactive';
  }
  if (type === 'express' && !capabilities.transfers) {
    throw paramError('parameter_missing', 'Express accounts must request the `transfers` capability.', 'capabilities[transfers][requested]');
  }
  const profile = obj(p.business_profile, 'business_profile') ?? {};
  allowOnly(profile, ['name', 'url', 'mcc', 'product_description', 'support_email'], 'business_profile');
  const account: Account = {
    id: newId('account'),
    object: 'account',
    business_profile: {
      name: str(profile.name, 'business_profile[name]') ?? null,
      url: str(profile.url, 'business_profile[url]') ?? null,
      mcc: str(profile.mcc, 'business_profile[mcc]') ?? null,
      product_description: str(profile.product_description, 'business_profile[product_description]') ?? null,
    },
    business_type: businessType,
    capabilities,
    charges_enabled: false,
    controller: { type: 'application', is_controller: true },
    country: (str(p.country, 'country') ?? 'CA').toUpperCase(),
    created: nowSeconds(),
    default_currency: str(p.default_currency, 'default_currency') ?? 'cad',
    details_submitted: false,
    email: str(p.email, 'email') ?? null,
    external_accounts: { object: 'list', data: [], has_more: false, url: '' },
    future_requirements: requirements([], null),
    livemode: false,
    metadata: metadata(p.metadata),
    payouts_enabled: false,
    requirements: requirements(initialRequirements(businessType), 'requirements.past_due'),
    settings: { payouts: { schedule: { interval: 'daily', delay_days: 7 } } },
    tos_acceptance: { date: null },
    type,
  };
  account.external_accounts = { object: 'list', data: [], has_more: false, url: `/v1/accounts/${account.id}/external_accounts` };
  return emu.store.put(account);
}

export type OnboardingOutcome = 'complete' | 'incomplete';

/**
 * What the test onboarding page does. Complete: the account can take payments and be paid out.
 * Incomplete: the form was submitted but a requirement (bank account) is still due.
 */
export function finishOnboarding(emu: Emulator, accountId: string, outcome: OnboardingOutcome, ctx: RequestContext = noRequest): Account {
  const account = emu.store.require<Account>(accountId, 'account', 'account');
  const previous = copy({
    capabilities: account.capabilities,
    charges_enabled: account.charges_enabled,
    details_submitted: account.details_submitted,
    payouts_enabled: account.payouts_enabled,
    requirements: account.requirements,
  });
  const done = outcome === 'complete';
  for (const name of Object.keys(account.capabilities)) account.capabilities[name] = done ? 'active' : 'inactive';
  account.charges_enabled = done;
  account.payouts_enabled = done;
  account.details_submitted = true;
  account.requirements = requirements(done ? [] : ['external_account'], 'requirements.past_due');
  account.tos_acceptance = { date: nowSeconds(), ip: '127.0.0.1' };
  emu.events.emit('account.updated', account, ctx, previous);
  return account;
}

function onboardingUrl(emu: Emulator, accountId: string, returnUrl: string, refreshUrl: string): string {
  const q = new URLSearchParams({ return: returnUrl, refresh: refreshUrl });
  return `${emu.config.publicUrl}/onboarding/${accountId}?${q.toString()}`;
}

export function registerAccountRoutes(app: FastifyInstance, emu: Emulator): void {
  app.post('/v1/accounts', async (req) => createAccount(emu, asParams(req.body)));

  app.get<{ Params: { id: string } }>('/v1/accounts/:id', async (req) => {
    const account = emu.store.require<Account>(req.params.id, 'account', 'account');
    return expand(account, expandPaths(asParams(req.query)), emu.store);
  });

  app.get('/v1/accounts', async (req) => paginate(emu.store.all<Account>('account'), asParams(req.query), '/v1/accounts'));

  app.post<{ Params: { id: string } }>('/v1/accounts/:id', async (req) => {
    const account = emu.store.require<Account>(req.params.id, 'account', 'account');
    const p = asParams(req.body);
    allowOnly(p, ['email', 'metadata', 'business_profile']);
    if (p.email !== undefined) account.email = str(p.email, 'email') ?? null;
    if (p.metadata !== undefined) account.metadata = { ...account.metadata, ...metadata(p.metadata) };
    const profile = obj(p.business_profile, 'business_profile');
    if (profile) {
      allowOnly(profile, ['name', 'url', 'mcc', 'product_description'], 'business_profile');
      account.business_profile = { ...account.business_profile, ...(profile as Partial<Account['business_profile']>) };
    }
    emu.events.emit('account.updated', account, requestContext(req));
    return account;
  });

  app.post('/v1/account_links', async (req) => {
    const p = asParams(req.body);
    allowOnly(p, ['account', 'refresh_url', 'return_url', 'type', 'collect', 'collection_options']);
    const accountId = requiredStr(p.account, 'account');
    const type = requiredStr(p.type, 'type', { oneOf: ['account_onboarding', 'account_update'] });
    const refreshUrl = requiredStr(p.refresh_url, 'refresh_url');
    const returnUrl = requiredStr(p.return_url, 'return_url');
    const account = emu.store.require<Account>(accountId, 'account', 'account');
    if (type === 'account_update' && account.type !== 'custom') {
      throw invalidRequest('You cannot create `account_update` type Account Links for this account.', { param: 'type' });
    }
    const created = nowSeconds();
    return {
      object: 'account_link',
      created,
      expires_at: created + 300,
      url: onboardingUrl(emu, account.id, returnUrl, refreshUrl),
    };
  });
}
