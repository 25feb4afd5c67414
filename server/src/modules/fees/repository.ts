import { asc, sql } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';

const { platformFeeRates } = schema;

/** The platform's fee rate in force at an instant: the last one set before it (5 % before any was set). */
export function feeRateAtSql(at: Date) {
  return sql<number>`coalesce((SELECT ${platformFeeRates.rateBps} FROM ${platformFeeRates} WHERE ${platformFeeRates.effectiveFrom} <= ${at.toISOString()}::timestamptz
    ORDER BY ${platformFeeRates.effectiveFrom} DESC, ${platformFeeRates.id} DESC LIMIT 1), 500)`.mapWith(Number);
}

export async function feeRates(db: Tx) {
  return db.select().from(platformFeeRates).orderBy(asc(platformFeeRates.effectiveFrom), asc(platformFeeRates.id));
}

export async function insertFeeRate(db: Tx, values: typeof platformFeeRates.$inferInsert) {
  const [row] = await db.insert(platformFeeRates).values(values).returning();
  return row!;
}
