import { describe, expect, it } from 'vitest';
import { loadConfig } from './env.js';

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://tissu@db.example.org/tissu',
  JWT_SECRET: 'a-long-production-secret-a-long-production-secret',
  STRIPE_SECRET_KEY: 'sk_live_x',
  STRIPE_WEBHOOK_SECRET: 'whsec_x',
  SMTP_URL: 'smtps://user:pass@smtp.example.org',
  DATA_DIR: '/tmp/tissu-env-test',
};

describe('production configuration', () => {
  it('starts with every secret and service given', () => {
    expect(loadConfig(production)).toMatchObject({ env: 'production', smtpUrl: 'smtps://user:pass@smtp.example.org' });
  });

  it.each(['JWT_SECRET', 'DATABASE_URL', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'SMTP_URL'])('refuses to start without %s', (name) => {
    const env: Record<string, string> = { ...production };
    delete env[name];
    expect(() => loadConfig(env)).toThrow(name);
  });
});

describe('Stripe configuration outside production', () => {
  const dev = { NODE_ENV: 'development', DATA_DIR: '/tmp/tissu-env-test' };

  it.each(['development', 'test'])('refuses a real STRIPE_SECRET_KEY without STRIPE_WEBHOOK_SECRET (%s), saying what to set', (NODE_ENV) => {
    expect(() => loadConfig({ ...dev, NODE_ENV, STRIPE_SECRET_KEY: 'sk_test_real_account' })).toThrow(
      /STRIPE_SECRET_KEY is set \(real Stripe\) but STRIPE_WEBHOOK_SECRET is not/,
    );
  });

  it("refuses a real key with the emulator's public webhook secret", () => {
    expect(() => loadConfig({ ...dev, STRIPE_SECRET_KEY: 'sk_test_real_account', STRIPE_WEBHOOK_SECRET: 'whsec_tissu_local_emulator' })).toThrow(
      'STRIPE_WEBHOOK_SECRET',
    );
  });

  it('starts with a real key and its own webhook secret, talking to Stripe itself', () => {
    const c = loadConfig({ ...dev, STRIPE_SECRET_KEY: 'sk_test_real_account', STRIPE_WEBHOOK_SECRET: 'whsec_endpoint_secret' });
    expect(c.stripe).toEqual({ secretKey: 'sk_test_real_account', webhookSecret: 'whsec_endpoint_secret', apiUrl: undefined });
  });

  it('uses the emulator and its secret when no key is given, or when STRIPE_API_URL points at it', () => {
    expect(loadConfig(dev).stripe).toEqual({ secretKey: 'sk_test_tissu_local_emulator', webhookSecret: 'whsec_tissu_local_emulator', apiUrl: 'http://127.0.0.1:12111' });
    const emulated = loadConfig({ ...dev, STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_API_URL: 'http://127.0.0.1:12132' });
    expect(emulated.stripe).toMatchObject({ webhookSecret: 'whsec_tissu_local_emulator', apiUrl: 'http://127.0.0.1:12132' });
  });
});
