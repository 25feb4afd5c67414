/**
 * Demo data for development: `seedDemo(db)` fills an empty database with the co-ops, listings and
 * accounts of ./data.ts. Run on its own with `pnpm exec tsx scripts/seed/index.ts` (needs DATABASE_URL).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createDb, runMigrations, schema, type Db, type Tx } from '@tissu/db';
import { CoopProfileBody, CreateListingBody } from '@tissu/shared';
import { hashPassword } from '../../server/src/modules/accounts/password.js';
import { loadConfig } from '../../server/src/plugins/env.js';
import { createStorage } from '../../server/src/plugins/storage.js';
import { seedPatronageDemo } from './patronage.js';
import { demoYears } from './patronage-data.js';
import { seedDemoSchedules } from './schedules.js';
import { seedDemoPhotos } from './photos.js';
import { seedQuoteDemo } from './quotes.js';
import type { Storage } from '../../server/src/plugins/storage.js';
import { DEMO_ACCOUNTS, DEMO_CLIENT, DEMO_COOPS, DEMO_PASSWORD, DEMO_STEWARD, type DemoPerson } from './data.js';

export { DEMO_ACCOUNTS, DEMO_PASSWORD } from './data.js';
export { seedListingsForBench } from './bulk.js';

/** Two processes starting on an empty database at once must not both seed it. */
const SEED_LOCK_KEY = 74737301;
const DAY_MS = 24 * 60 * 60 * 1000;

/** With `storage`, the demo co-ops and listings also get their photos (./photos.ts). */
export async function seedDemo(db: Db, opts: { storage?: Storage } = {}): Promise<{ seeded: boolean }> {
  // argon2 is slow on purpose: hash once, every demo account shares the password.
  let hash: Promise<string> | undefined;
  const passwordHash = () => (hash ??= hashPassword(DEMO_PASSWORD));
  const { seeded } = await seedMarketplace(db, passwordHash);
  // The platform co-op's members and its fiscal years; also added to a database seeded before they existed.
  await seedPatronageDemo(db, passwordHash);
  // A moving listing on quote; also added to a database seeded before quotes existed.
  await seedQuoteDemo(db);
  // Also added to a database seeded before photos existed.
  if (opts.storage) await seedDemoPhotos(db, opts.storage);
  return { seeded };
}

async function seedMarketplace(db: Db, passwordHash: () => Promise<string>): Promise<{ seeded: boolean }> {
  if (await hasAnyCoop(db)) return { seeded: false };
  assertDemoDataValid();
  const hash = await passwordHash();
  return db.transaction(async (tx) => {
    await tx.execute(`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})`);
    if (await hasAnyCoop(tx)) return { seeded: false };
    await insertDemo(tx, hash, new Date());
    await seedDemoSchedules(tx);
    return { seeded: true };
  });
}

async function hasAnyCoop(q: Tx): Promise<boolean> {
  const rows = await q.select({ id: schema.coops.id }).from(schema.coops).limit(1);
  return rows.length > 0;
}

async function insertDemo(tx: Tx, passwordHash: string, now: Date): Promise<void> {
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const after = (d: Date, days: number) => new Date(d.getTime() + days * DAY_MS);

  // Co-ops joined Tissu one after another, the first one earliest, all before the first demo
  // fiscal year whose business the demo has (see ./patronage.ts).
  const { paid } = demoYears(now);
  const opened = new Date(Math.min(daysAgo(420).getTime(), Date.UTC(paid - 1, 8, 2, 14)));
  const coopTimes = DEMO_COOPS.map((_, i) => {
    const createdAt = after(opened, i * 8);
    return { createdAt, decidedAt: after(createdAt, 3) };
  });

  const userRows: (typeof schema.users.$inferInsert)[] = [
    { ...person(DEMO_STEWARD), passwordHash, isSteward: true, createdAt: after(opened, -90) },
    { ...person(DEMO_CLIENT), passwordHash, createdAt: new Date(Math.min(daysAgo(45).getTime(), Date.UTC(paid, 0, 8, 15))) },
  ];
  DEMO_COOPS.forEach((coop, i) => {
    const { createdAt } = coopTimes[i]!;
    userRows.push({ ...person(coop.admin), passwordHash, createdAt });
    for (const w of coop.workers ?? []) userRows.push({ ...person(w), passwordHash, createdAt: after(createdAt, 7) });
  });
  // Demo people confirmed their address when they signed up.
  for (const u of userRows) u.passwordChangedAt = u.emailVerifiedAt = u.createdAt;

  const emails = userRows.map((u) => u.email.toLowerCase());
  const taken = await tx.query.users.findMany({
    columns: { email: true },
    where: (u, { inArray, sql }) => inArray(sql`lower(${u.email})`, emails),
  });
  if (taken.length > 0) {
    throw new Error(`Cannot seed demo data: ${taken.map((t) => t.email).join(', ')} already signed up`);
  }

  const users = await tx.insert(schema.users).values(userRows).returning({ id: schema.users.id, email: schema.users.email });
  const userId = new Map(users.map((u) => [u.email, u.id]));
  const idOf = (p: DemoPerson) => userId.get(p.email)!;
  const stewardId = idOf(DEMO_STEWARD);

  const coops = await tx
    .insert(schema.coops)
    .values(
      DEMO_COOPS.map((c, i) => ({
        slug: c.slug,
        legalName: c.legalName,
        legalForm: c.legalForm,
        neq: c.neq ?? null,
        region: c.region,
        languages: c.languages,
        descriptionFr: c.descriptionFr,
        descriptionEn: c.descriptionEn,
        commitments: c.commitments,
        foundedYear: c.foundedYear,
        status: 'approved' as const,
        decidedBy: stewardId,
        decidedAt: coopTimes[i]!.decidedAt,
        createdBy: idOf(c.admin),
        createdAt: coopTimes[i]!.createdAt,
        updatedAt: coopTimes[i]!.decidedAt,
      })),
    )
    .returning({ id: schema.coops.id, slug: schema.coops.slug });
  const coopId = new Map(coops.map((c) => [c.slug, c.id]));

  await tx.insert(schema.coopMembers).values(
    DEMO_COOPS.flatMap((c, i) => [
      { coopId: coopId.get(c.slug)!, userId: idOf(c.admin), role: 'admin' as const, joinedAt: coopTimes[i]!.createdAt },
      ...(c.workers ?? []).map((w) => ({
        coopId: coopId.get(c.slug)!,
        userId: idOf(w),
        role: 'worker' as const,
        joinedAt: after(coopTimes[i]!.decidedAt, 7),
      })),
    ]),
  );

  // Listings appear over the last ~80 days in an interleaved order, so "newest" mixes co-ops.
  let n = 0;
  await tx.insert(schema.listings).values(
    DEMO_COOPS.flatMap((c) =>
      c.listings.map((l) => {
        n += 1;
        const createdAt = new Date(daysAgo(((n * 37) % 80) + 1).getTime() - n * 3_600_000);
        return {
          coopId: coopId.get(c.slug)!,
          titleFr: l.titleFr,
          titleEn: l.titleEn,
          descriptionFr: l.descriptionFr,
          descriptionEn: l.descriptionEn,
          category: l.category,
          priceKind: l.priceKind,
          priceCents: l.priceCents,
          durationMinutes: l.durationMinutes,
          locationMode: l.locationMode,
          boroughs: l.boroughs,
          solidarityPriceCents: l.solidarityPriceCents ?? null,
          status: 'active' as const,
          createdAt,
          updatedAt: createdAt,
        };
      }),
    ),
  );
}

function person(p: DemoPerson) {
  return { email: p.email, name: p.name, locale: p.locale };
}

/** The demo data goes through the same validation as a co-op's form would, so it cannot drift. */
function assertDemoDataValid(): void {
  const problems: string[] = [];
  for (const coop of DEMO_COOPS) {
    const profile = CoopProfileBody.safeParse(coop);
    if (!profile.success) problems.push(`${coop.slug}: ${profile.error.message}`);
    for (const listing of coop.listings) {
      const parsed = CreateListingBody.safeParse(listing);
      if (!parsed.success) problems.push(`${coop.slug} / ${listing.titleFr}: ${parsed.error.message}`);
    }
  }
  if (problems.length > 0) throw new Error(`Invalid demo data:\n${problems.join('\n')}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('Set DATABASE_URL to the database to seed, e.g. postgres://user:pass@127.0.0.1:5432/tissu');
    process.exit(1);
  }
  await runMigrations(url);
  const database = createDb(url, { max: 2 });
  try {
    const { seeded } = await seedDemo(database.db, { storage: createStorage(loadConfig().media) });
    console.log(seeded ? 'Demo data seeded.' : 'The database already has co-ops; nothing seeded.');
    console.log(`Demo accounts (password "${DEMO_PASSWORD}"):`);
    for (const a of DEMO_ACCOUNTS) console.log(`  ${a.email.padEnd(36)} ${a.role}`);
  } finally {
    await database.close();
  }
}
