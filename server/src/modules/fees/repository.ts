import { asc, sql, type Placeholder } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';

const { platformFeeRates } = schema;

/**
 * The platform's fee rate in force at an instant: the last one set before it (5 % before any was set).
 * A placeholder stands for the instant in a prepared query (filled with its ISO text).
 */
export function feeRateAtSql(at: Date | Placeholder) {
  return sql<number>`coalesce((SELECT ${platformFeeRates.rateBps} FROM ${platformFeeRates} WHERE ${platformFeeRates.effectiveFrom} <= ${at instanceof Date ? at.toISOString() : at}::timestamptz
    ORDER BY ${platformFeeRates.effectiveFrom} DESC, ${platformFeeRates.id} DESC LIMIT 1), 500)`.mapWith(Number);
}

export async function feeRates(db: Tx) {
  return db.select().from(platformFeeRates).orderBy(asc(platformFeeRates.effectiveFrom), asc(platformFeeRates.id));
}

export async function insertFeeRate(db: Tx, values: typeof platformFeeRates.$inferInsert) {
  const [row] = await db.insert(platformFeeRates).values(values).returning();
  return row!;
}
