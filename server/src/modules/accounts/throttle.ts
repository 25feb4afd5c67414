import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';

const { signInThrottles, trustedSignInAddresses } = schema;

/**
 * Sign-in throttling (OWASP Authentication Cheat Sheet): growing delays, per account and per
 * client address, instead of a lock a stranger could set off.
 *
 * - Per account, keyed on the email as typed (lower case) whether or not it has an account, so a
 *   delay says nothing about which addresses are registered: 5 wrong passwords are free; after
 *   that each attempt must wait 1 s after the last wrong one, then 2 s, 4 s, ... at most 60 s.
 * - Per client address: 20 wrong passwords are free, then the same doubling, at most 15 minutes.
 * - Wrong passwords are forgotten 15 minutes after the last one; the right password clears the
 *   account's count (not the address's, or a guesser could reset it with an account of their own).
 * - From an address where the account signed in with its right password in the last 90 days, the
 *   account's delay does not apply: a stranger guessing from elsewhere cannot keep the owner out.
 * While a delay runs the password is not checked at all, so a delay grants no guess.
 */
export const ACCOUNT_POLICY: ThrottlePolicy = { free: 5, maxDelaySeconds: 60 };
export const ADDRESS_POLICY: ThrottlePolicy = { free: 20, maxDelaySeconds: 15 * 60 };
const FORGET_AFTER_MS = 15 * 60_000;
const TRUST_FOR_MS = 90 * 86_400_000;

export type ThrottlePolicy = { free: number; maxDelaySeconds: number };

/** Seconds to wait after the last wrong password, given how many there were. */
export function delaySeconds(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.free) return 0;
  return Math.min(2 ** Math.min(failures - policy.free, 30), policy.maxDelaySeconds);
}

export const accountKey = (email: string) => `email:${email.trim().toLowerCase()}`;
export const addressKey = (address: string) => `ip:${address}`;

/** Seconds until these keys may try again (0: now), each under its own policy. */
export async function waitSeconds(db: Tx, keys: { key: string; policy: ThrottlePolicy }[], now: Date): Promise<number> {
  const rows = await db.select().from(signInThrottles).where(inArray(signInThrottles.key, keys.map((k) => k.key)));
  let wait = 0;
  for (const row of rows) {
    if (now.getTime() - row.lastFailureAt.getTime() > FORGET_AFTER_MS) continue;
    const policy = keys.find((k) => k.key === row.key)!.policy;
    const until = row.lastFailureAt.getTime() + delaySeconds(row.failures, policy) * 1000;
    wait = Math.max(wait, Math.ceil((until - now.getTime()) / 1000));
  }
  return wait;
}

/** One more wrong password for each key (a count older than 15 minutes starts again). */
export async function recordFailure(db: Tx, keys: string[], now: Date): Promise<void> {
  const forgetBefore = new Date(now.getTime() - FORGET_AFTER_MS).toISOString();
  await db
    .insert(signInThrottles)
    .values(keys.map((key) => ({ key, failures: 1, lastFailureAt: now })))
    .onConflictDoUpdate({
      target: signInThrottles.key,
      set: {
        failures: sql`CASE WHEN ${signInThrottles.lastFailureAt} < ${forgetBefore}::timestamptz THEN 1 ELSE ${signInThrottles.failures} + 1 END`,
        lastFailureAt: now,
      },
    });
}

/** A password reset proves the owner: the account's count starts again. */
export async function clearAccount(db: Tx, email: string): Promise<void> {
  await db.delete(signInThrottles).where(eq(signInThrottles.key, accountKey(email)));
}

/** The right password: the account's count starts again and this address becomes trusted. */
export async function recordSuccess(db: Tx, email: string, userId: string, address: string, now: Date): Promise<void> {
  await clearAccount(db, email);
  await db
    .insert(trustedSignInAddresses)
    .values({ userId, address, lastSignInAt: now })
    .onConflictDoUpdate({ target: [trustedSignInAddresses.userId, trustedSignInAddresses.address], set: { lastSignInAt: now } });
}

export async function isTrustedAddress(db: Tx, userId: string, address: string, now: Date): Promise<boolean> {
  const [row] = await db
    .select({ userId: trustedSignInAddresses.userId })
    .from(trustedSignInAddresses)
    .where(and(
      eq(trustedSignInAddresses.userId, userId),
      eq(trustedSignInAddresses.address, address),
      gt(trustedSignInAddresses.lastSignInAt, new Date(now.getTime() - TRUST_FOR_MS)),
    ));
  return Boolean(row);
}
