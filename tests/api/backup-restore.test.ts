import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import postgres from 'postgres';
import { createDb, withDatabase } from '@tissu/db';
import { buildApp } from '../../server/src/app.js';
import { repoRoot } from '../../server/src/plugins/env.js';
import { seedDemo, DEMO_PASSWORD } from '../../scripts/seed/index.js';
import { demoYears } from '../../scripts/seed/patronage-data.js';
import type { Manifest } from '../../scripts/backup/manifest.js';
import { createTestApp, type SignedIn, type TestApp } from '../support/test-app.js';
import { payBooking } from '../support/fixtures.js';
import { paymentsWorld, slots, type PaymentsKit } from '../support/payments.js';

/**
 * README's backups, as an operator runs them: `pnpm db:backup` (pg_dump) on a database with the
 * demo's closed years and payments made through Stripe, then `pnpm db:restore` (pg_restore)
 * into a fresh database, which must hold every row, pass the ledger check and serve the API.
 */
let t: TestApp;
let w: Awaited<ReturnType<typeof paymentsWorld>>;
let kit: PaymentsKit;
let dir: string;
const created: string[] = [];
const next = slots(72);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function script(name: 'dump' | 'restore', args: string[], env: Record<string, string | undefined> = { DATABASE_URL: t.database.url }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'scripts/backup', `${name}.ts`), ...args],
      { cwd: repoRoot, env: { ...process.env, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const freshName = () => {
  const name = `restored_${randomBytes(5).toString('hex')}`;
  created.push(name);
  return name;
};
const urlOf = (name: string) => withDatabase(inject('pgAdminUrl'), name);

async function onDatabase<T>(url: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** What must survive a restore exactly: rows per table and every ledger account's balance. */
async function contents(sql: postgres.Sql) {
  const tables = await sql<{ name: string }[]>`
    SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1`;
  const rows: Record<string, number> = {};
  for (const { name } of tables) {
    const [schema, table] = name.split('.');
    rows[name] = Number((await sql`SELECT count(*)::int AS n FROM ${sql(schema!)}.${sql(table!)}`)[0]!.n);
  }
  const balances = await sql`
    SELECT a.code, sum(l.amount_cents)::bigint::text AS cents FROM ledger_accounts a JOIN journal_lines l ON l.account_id = a.id
    GROUP BY a.code ORDER BY a.code`;
  return { rows, balances: balances.map((b) => `${b.code} ${b.cents}`) };
}

async function payOne(client: SignedIn): Promise<string> {
  const booking = await kit.book(client, w.listingId, next());
  await kit.accept(w.admin, booking.id);
  await payBooking(t, client, booking.id);
  return booking.id;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tissu-backup-'));
  t = await createTestApp();
  await seedDemo(t.db);
  w = await paymentsWorld(t);
  kit = w.kit;
  // Payments through the emulator: one kept, one refunded in full by an early cancellation.
  await payOne(w.client);
  const cancelled = await payOne(w.client);
  expect((await kit.post(`/bookings/${cancelled}/cancel`, w.client)).statusCode).toBe(200);
  await t.stripe.webhooks.idle();
  await kit.chargeDetailsRecorded();
}, 180_000);

afterAll(async () => {
  await onDatabase(inject('pgAdminUrl'), async (sql) => {
    for (const name of created) await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  await t?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('backup and restore (pg_dump, pg_restore)', () => {
  let file: string;

  it('backs up every table with a manifest of its rows, from one snapshot', async () => {
    file = path.join(dir, 'tissu.dump');
    const dump = await script('dump', ['--out', file]);
    expect(dump.code, dump.stderr).toBe(0);
    expect(dump.stdout).toContain('ledger check at the time of the backup: ok');
    const manifest = JSON.parse(await readFile(`${file}.json`, 'utf8')) as Manifest;
    const source = await onDatabase(t.database.url, contents);
    expect(manifest.tables).toEqual(source.rows);
    expect(manifest.tables['public.payments']).toBeGreaterThan(1000);
    expect(manifest.ledger.ok).toBe(true);
  });

  it('restores into a fresh database: same rows, same balances to the cent, the ledger check passes', async () => {
    const name = freshName();
    const restore = await script('restore', [file, '--into', name]);
    expect(restore.code, restore.stderr + restore.stdout).toBe(0);
    expect(restore.stdout).toContain('rows as in the backup: yes');
    expect(restore.stdout).toMatch(/ledger check: ok \(\d+ entries, \d+ lines\)/);
    const [source, restored] = await Promise.all([onDatabase(t.database.url, contents), onDatabase(urlOf(name), contents)]);
    expect(restored.rows).toEqual(source.rows);
    expect(restored.balances).toEqual(source.balances);
    expect(restored.balances.length).toBeGreaterThan(5);
  });

  it("the restored database serves the API: demo sign-in, the paid year's statement and a receipt, as before", async () => {
    const name = freshName();
    expect((await script('restore', [file, '--into', name])).code).toBe(0);
    const restoredDb = createDb(urlOf(name));
    const restoredApp = await buildApp({ config: t.config, database: restoredDb, mailer: t.mailer, logger: false });
    try {
      // Sessions live in the database: each app signs her in on its own.
      const statements = async (app: typeof restoredApp) => {
        const signIn = await app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: 'travailleuse@tissu.demo', password: DEMO_PASSWORD } });
        expect(signIn.statusCode, signIn.body).toBe(200);
        const res = await app.inject({ url: `/patronage/statements?year=${demoYears().paid}`, headers: { authorization: `Bearer ${signIn.json().accessToken}` } });
        expect(res.statusCode, res.body).toBe(200);
        return res.json();
      };
      const after = await statements(restoredApp);
      expect(after.statements.length).toBeGreaterThan(0);
      expect(after).toEqual(await statements(t.app));

      // The client's token from before the backup still opens her receipts: same ids, same numbers.
      const [paid] = await t.database.sql`SELECT booking_id FROM payments p JOIN bookings b ON b.id = p.booking_id WHERE b.client_id = ${w.client.userId} AND p.status = 'paid'`;
      const receipt = (app: typeof restoredApp) => app.inject({ url: `/bookings/${paid!.booking_id}/payment`, headers: w.client.auth }).then((r) => r.json());
      const restoredReceipt = await receipt(restoredApp);
      expect(restoredReceipt.receiptNumber).toMatch(/^TIS-\d{4}-\d{6}$/);
      expect(restoredReceipt).toEqual(await receipt(t.app));
    } finally {
      await restoredApp.close();
      await restoredDb.close();
    }
  });

  // The tests' own embedded server stands in for the one of `pnpm start` (same role and password).
  it.skipIf(process.env.TEST_DATABASE_URL)('without DATABASE_URL: restores on the embedded server and says how to start Tissu on the copy', async () => {
    const name = freshName();
    const port = new URL(inject('pgAdminUrl')).port;
    const restore = await script('restore', [file, '--into', name], { DATABASE_URL: '', EMBEDDED_PG_PORT: port, DATA_DIR: dir });
    expect(restore.code, restore.stderr + restore.stdout).toBe(0);
    expect(restore.stdout).toContain(`Restored and verified. To run Tissu on it: EMBEDDED_PG_DATABASE=${name} pnpm start`);
    const manifest = JSON.parse(await readFile(`${file}.json`, 'utf8')) as Manifest;
    expect((await onDatabase(urlOf(name), contents)).rows).toEqual(manifest.tables);
  });

  it('bookings paid while the backup runs: the dump and its manifest agree, the restore passes', async () => {
    const out = path.join(dir, 'during.dump');
    const dumping = script('dump', ['--out', out]);
    let finished = false;
    void dumping.then(() => (finished = true));
    let paidDuring = 0;
    while (!finished) {
      await payOne(w.client);
      paidDuring++;
    }
    expect((await dumping).code).toBe(0);
    expect(paidDuring).toBeGreaterThan(0);
    const restore = await script('restore', [out, '--into', freshName()]);
    expect(restore.code, restore.stderr + restore.stdout).toBe(0);
    expect(restore.stdout).toContain('rows as in the backup: yes');
  });

  it('refuses a database that already holds data, and leaves it as it was', async () => {
    const before = await onDatabase(t.database.url, contents);
    const name = new URL(t.database.url).pathname.slice(1);
    const restore = await script('restore', [file, '--into', name]);
    expect(restore.code).toBe(2);
    expect(restore.stderr).toContain(`The database ${name} is not empty`);
    expect(await onDatabase(t.database.url, contents)).toEqual(before);
  });

  it('a damaged dump restores nothing: the new database is removed again', async () => {
    const damaged = path.join(dir, 'damaged.dump');
    const bytes = await readFile(file);
    await writeFile(damaged, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const name = freshName();
    const restore = await script('restore', [damaged, '--into', name]);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain('nothing was restored');
    const [exists] = await onDatabase(inject('pgAdminUrl'), (sql) => sql`SELECT 1 FROM pg_database WHERE datname = ${name}`);
    expect(exists).toBeUndefined();
  });

  it('wrong usage is refused with the usage line', async () => {
    const noTarget = await script('restore', [file]);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain('Usage: pnpm db:restore');
    const missing = await script('restore', [path.join(dir, 'nope.dump'), '--into', 'x']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('No such file');
  });

  // Last: it breaks the source database's ledger on purpose.
  it('a restore whose ledger does not check out fails and names the booking', async () => {
    const [payment] = await t.database.sql`UPDATE payments SET service_cents = service_cents + 1, total_cents = total_cents + 1, coop_cents = coop_cents + 1
      WHERE id = (SELECT id FROM payments WHERE status = 'paid' ORDER BY paid_at DESC LIMIT 1) RETURNING booking_id`;
    const out = path.join(dir, 'broken.dump');
    const dump = await script('dump', ['--out', out]);
    expect(dump.code).toBe(0);
    expect(dump.stdout).toContain('ledger check at the time of the backup: FAILED');
    const restore = await script('restore', [out, '--into', freshName()]);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain('did NOT pass its checks');
    expect(restore.stderr).toContain(`booking ${payment!.booking_id}: Stripe took`);
  });
});
