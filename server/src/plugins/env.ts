import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The one place that reads process.env. Everything else receives a typed Config. */

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  WEB_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  WEB_ORIGIN: z.url().optional(),
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default(path.join(repoRoot, '.data')),
  EMBEDDED_PG_PORT: z.coerce.number().int().default(54320),
  /** The embedded server's database Tissu runs on: another name runs it on a restored copy. */
  EMBEDDED_PG_DATABASE: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lower-case letters, digits and _').default('tissu'),
  /** Folder of pg_dump and pg_restore, when the ones on PATH are older than the server. */
  PG_BIN: z.string().optional(),
  JWT_SECRET: z.string().min(32).optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(10).default(15 * 60),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).default(30),
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /** Messages one person may post a minute; starting conversations and reporting messages: half as many. */
  MESSAGE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(2).default(20),
  DATA_EXPORT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /** Quote changes that send email (ask, offer, accept, decline, ask for changes, withdraw, refuse), per person, route and minute. */
  QUOTE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(7).default(20),
  TRUST_PROXY: z.string().default('loopback'),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Tissu <bonjour@tissu.coop>'),
  MAIL_DIR: z.string().optional(),
  JOBS: z.enum(['on', 'off']).optional(),
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  /** The local emulator's address; unset with a real key means real Stripe. */
  STRIPE_API_URL: z.url().optional(),
  PAYMENT_WINDOW_HOURS: z.coerce.number().int().min(1).max(24 * 14).default(24),
  /** Photos and logos one person may upload a minute. */
  UPLOAD_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(7).default(30),
  /** Photos' files: a folder (default DATA_DIR/media), or an S3-compatible bucket when S3_BUCKET is set. */
  MEDIA_DIR: z.string().optional(),
  S3_BUCKET: z.string().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ENDPOINT: z.url().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('true'),
  S3_PREFIX: z.string().regex(/^([a-z0-9][a-z0-9_-]*\/)*$/i, 'folders ending with /').default(''),
  /** Where browsers load photos from when not through /media (a bucket's or CDN's address). */
  MEDIA_PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The person in charge of the protection of personal information (Law 25), named on the privacy page. */
  PRIVACY_OFFICER_NAME: z.string().min(1).max(100).default('Camille Tremblay'),
  PRIVACY_OFFICER_TITLE: z.string().min(1).max(100).default('Responsable de la protection des renseignements personnels'),
  PRIVACY_OFFICER_EMAIL: z.email().default('vie-privee@tissu.coop'),
});

export interface S3Settings {
  bucket: string;
  region: string;
  endpoint: string | undefined;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /** Path-style URLs (http://host/bucket/key), which MinIO and most S3-compatible servers need. */
  forcePathStyle: boolean;
  /** A folder inside the bucket, so one bucket can hold several things. */
  prefix: string;
}

export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  webPort: number;
  webOrigin: string;
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  embeddedPgDatabase: string;
  pgBin: string | undefined;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  authRateLimitPerMinute: number;
  messageRateLimitPerMinute: number;
  quoteRateLimitPerMinute: number;
  /** Asking for one's data archive, per person and minute (the service allows a few a day on top). */
  dataExportRateLimitPerMinute: number;
  trustProxy: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  mailDir: string;
  logLevel: string;
  /** Run the background workers (emails, expiry) in this process. */
  jobs: boolean;
  stripe: { secretKey: string; webhookSecret: string; apiUrl: string | undefined };
  /** How long a client has to pay an accepted booking. */
  paymentWindowHours: number;
  /** Who answers for personal information (Law 25), shown on the privacy page. */
  privacyOfficer: { name: string; title: string; email: string };
  uploadRateLimitPerMinute: number;
  media: {
    dir: string;
    s3: S3Settings | undefined;
    /** Photos' URLs start here: "/media" (served by the API, proxied by the web) unless a bucket or CDN serves them. */
    publicUrl: string;
  };
}

/** Outside production a random secret is kept in the data folder so sessions survive restarts. */
function devSecret(dataDir: string): string {
  const file = path.join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

const EMULATOR_WEBHOOK_SECRET = 'whsec_tissu_local_emulator';

/**
 * Real Stripe needs both secrets. Without them the local emulator is used, with its default
 * address and a development webhook secret (the emulator signs with the same one).
 * That secret is public (it is in this repository): with real Stripe, anyone could sign a
 * `checkout.session.completed` with it and mark a booking paid, so a real key never runs with it.
 */
function stripeConfig(e: z.infer<typeof EnvSchema>): Config['stripe'] {
  if (e.NODE_ENV === 'production' && (!e.STRIPE_SECRET_KEY || !e.STRIPE_WEBHOOK_SECRET)) {
    throw new Error('STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are required in production');
  }
  const real = Boolean(e.STRIPE_SECRET_KEY) && !e.STRIPE_API_URL;
  if (real && (!e.STRIPE_WEBHOOK_SECRET || e.STRIPE_WEBHOOK_SECRET === EMULATOR_WEBHOOK_SECRET)) {
    throw new Error(
      'STRIPE_SECRET_KEY is set (real Stripe) but STRIPE_WEBHOOK_SECRET is not: set it to the signing secret of your ' +
        "Stripe webhook endpoint (whsec_...). Without it anyone could forge a payment event. To use the local emulator instead, unset STRIPE_SECRET_KEY or set STRIPE_API_URL.",
    );
  }
  return {
    secretKey: e.STRIPE_SECRET_KEY ?? 'sk_test_tissu_local_emulator',
    webhookSecret: e.STRIPE_WEBHOOK_SECRET ?? EMULATOR_WEBHOOK_SECRET,
    apiUrl: real ? undefined : (e.STRIPE_API_URL ?? 'http://127.0.0.1:12111'),
  };
}

/** Where the database is, for scripts (backup, restore) that need nothing else of the API's settings. */
export function loadDatabaseSettings(source: Record<string, string | undefined> = process.env) {
  return databaseSettings(DatabaseEnv.parse(source));
}

const DatabaseEnv = EnvSchema.pick({ DATABASE_URL: true, DATA_DIR: true, EMBEDDED_PG_PORT: true, EMBEDDED_PG_DATABASE: true, PG_BIN: true });

function databaseSettings(e: z.infer<typeof DatabaseEnv>) {
  return { databaseUrl: e.DATABASE_URL || undefined, dataDir: e.DATA_DIR, embeddedPgPort: e.EMBEDDED_PG_PORT, embeddedPgDatabase: e.EMBEDDED_PG_DATABASE, pgBin: e.PG_BIN || undefined };
}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) throw new Error('JWT_SECRET is required in production');
  if (e.NODE_ENV === 'production' && !e.DATABASE_URL) throw new Error('DATABASE_URL is required in production');
  // Without SMTP, mail is kept in a folder that the development mailbox shows to anyone, reset links included.
  if (e.NODE_ENV === 'production' && !e.SMTP_URL) throw new Error('SMTP_URL is required in production');
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    webPort: e.WEB_PORT,
    webOrigin: e.WEB_ORIGIN ?? `http://localhost:${e.WEB_PORT}`,
    ...databaseSettings(e),
    jwtSecret: e.JWT_SECRET ?? devSecret(e.DATA_DIR),
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
    authRateLimitPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
    messageRateLimitPerMinute: e.MESSAGE_RATE_LIMIT_PER_MINUTE,
    quoteRateLimitPerMinute: e.QUOTE_RATE_LIMIT_PER_MINUTE,
    dataExportRateLimitPerMinute: e.DATA_EXPORT_RATE_LIMIT_PER_MINUTE,
    trustProxy: e.TRUST_PROXY,
    smtpUrl: e.SMTP_URL || undefined,
    mailFrom: e.MAIL_FROM,
    mailDir: e.MAIL_DIR ?? path.join(e.DATA_DIR, 'mail'),
    logLevel: e.LOG_LEVEL,
    jobs: (e.JOBS ?? (e.NODE_ENV === 'test' ? 'off' : 'on')) === 'on',
    stripe: stripeConfig(e),
    paymentWindowHours: e.PAYMENT_WINDOW_HOURS,
    privacyOfficer: { name: e.PRIVACY_OFFICER_NAME, title: e.PRIVACY_OFFICER_TITLE, email: e.PRIVACY_OFFICER_EMAIL },
    uploadRateLimitPerMinute: e.UPLOAD_RATE_LIMIT_PER_MINUTE,
    media: {
      dir: e.MEDIA_DIR ?? path.join(e.DATA_DIR, 'media'),
      s3: e.S3_BUCKET
        ? {
            bucket: e.S3_BUCKET, region: e.S3_REGION, endpoint: e.S3_ENDPOINT, accessKeyId: e.S3_ACCESS_KEY_ID,
            secretAccessKey: e.S3_SECRET_ACCESS_KEY, forcePathStyle: e.S3_FORCE_PATH_STYLE === 'true', prefix: e.S3_PREFIX,
          }
        : undefined,
      publicUrl: (e.MEDIA_PUBLIC_URL ?? '/media').replace(/\/+$/, ''),
    },
  };
}
