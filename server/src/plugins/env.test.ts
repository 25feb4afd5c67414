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
