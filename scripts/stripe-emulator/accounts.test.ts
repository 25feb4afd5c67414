import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoopAccount, startWithReceiver, stripeFor } from './test-support.js';

let env: Awaited<ReturnType<typeof startWithReceiver>>;
beforeAll(async () => {
  env = await startWithReceiver();
});
afterAll(() => env.stop());

/** Reads the onboarding page's form as a browser would and submits the chosen button. */
async function submitOnboarding(linkUrl: string, outcome: 'complete' | 'incomplete') {
  const page = await fetch(linkUrl);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const hidden = [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map(([, n, v]) => [n!, v!.replace(/&amp;/g, '&')]);
  expect(action).toBeTruthy();
  const form = new URLSearchParams([...hidden, ['outcome', outcome]] as [string, string][]);
  return { html, res: await fetch(new URL(action!, linkUrl), { method: 'POST', body: form, redirect: 'manual' }) };
}

describe('Connect Express accounts', () => {
  it('creates an account that cannot take payments until onboarded', async () => {
    const account = await createCoopAccount(env.stripe);
    expect(account).toMatchObject({
      object: 'account',
      type: 'express',
      country: 'CA',
      email: 'admin@coop.example',
      charges_enabled: false,
      payouts_enabled: false,
      details_submitted: false,
      livemode: false,
      metadata: { coop_id: 'coop-1' },
      business_profile: { name: 'Coop Ménage Plateau' },
      capabilities: { card_payments: 'inactive', transfers: 'inactive' },
    });
    expect(account.id).toMatch(/^acct_/);
    expect(account.requirements?.currently_due).toEqual(expect.arrayContaining(['external_account', 'tos_acceptance.date']));
    expect(await env.stripe.accounts.retrieve(account.id)).toMatchObject({ id: account.id, email: 'admin@coop.example' });
  });

  it('answers an unknown account with a 404 the SDK raises as StripeInvalidRequestError', async () => {
    const err = await env.stripe.accounts.retrieve('acct_missing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(err).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('refuses unknown parameters and missing required ones, field by field', async () => {
    const unknown = await env.stripe.accounts.create({ type: 'express', capabilities: { transfers: { requested: true } }, colour: 'red' } as never).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ type: 'StripeInvalidRequestError', code: 'parameter_unknown', param: 'colour' });
    const missing = await env.stripe.accountLinks.create({ account: 'acct_x', type: 'account_onboarding', return_url: 'http://127.0.0.1/r' } as never).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'parameter_missing', param: 'refresh_url' });
  });

  it('requires a test secret key', async () => {
    const live = new Stripe('sk_live_nope', { host: '127.0.0.1', port: env.emulator.port, protocol: 'http', maxNetworkRetries: 0 });
    await expect(live.accounts.retrieve('acct_x')).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });

  it('completes onboarding through the account link page and says so by webhook', async () => {
    const account = await createCoopAccount(env.stripe);
    const link = await env.stripe.accountLinks.create({
      account: account.id,
      type: 'account_onboarding',
      refresh_url: 'http://127.0.0.1:5173/coop/stripe/refresh',
      return_url: 'http://127.0.0.1:5173/coop/stripe/return?x=1&y=2',
    });
    expect(link.object).toBe('account_link');
    expect(link.url).toContain(`${env.emulator.url}/onboarding/${account.id}?`);
    expect(link.expires_at).toBeGreaterThan(link.created);

    const { html, res } = await submitOnboarding(link.url, 'complete');
    expect(html).toMatch(/TEST/);
    expect(html).toContain('Complete onboarding');
    expect(html).toContain('Leave incomplete');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('http://127.0.0.1:5173/coop/stripe/return?x=1&y=2');

    const after = await env.stripe.accounts.retrieve(account.id);
    expect(after).toMatchObject({ charges_enabled: true, payouts_enabled: true, details_submitted: true, capabilities: { transfers: 'active' } });
    expect(after.requirements?.currently_due).toEqual([]);
    expect(after.requirements?.disabled_reason).toBeNull();

    const [hook] = await env.receiver.waitFor((r) => r.some((w) => w.event.type === 'account.updated' && w.event.data.object.id === account.id));
    const update = env.receiver.received.find((w) => w.event.data.object.id === account.id)!;
    expect(hook).toBeDefined();
    expect(update.event.data.object).toMatchObject({ charges_enabled: true });
    expect((update.event as unknown as Stripe.Event).data.previous_attributes).toMatchObject({ charges_enabled: false });
  });

  it('leaves onboarding incomplete: details submitted, payments still disabled, a requirement due', async () => {
    const account = await createCoopAccount(env.stripe);
    const link = await env.stripe.accountLinks.create({ account: account.id, type: 'account_onboarding', refresh_url: 'http://127.0.0.1/r', return_url: 'http://127.0.0.1/back' });
    const { res } = await submitOnboarding(link.url, 'incomplete');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('http://127.0.0.1/back');
    const after = await env.stripe.accounts.retrieve(account.id);
    expect(after).toMatchObject({ details_submitted: true, charges_enabled: false, payouts_enabled: false });
    expect(after.requirements?.currently_due).toEqual(['external_account']);
    await env.receiver.waitFor((r) => r.some((w) => w.event.type === 'account.updated' && w.event.data.object.id === account.id));
  });

  it('uses the same emulator from a second SDK client', async () => {
    const other = stripeFor(env.emulator);
    const list = await other.accounts.list({ limit: 100 });
    expect(list.data.length).toBeGreaterThan(0);
  });
});
