import { and, eq, inArray, isNotNull, isNull, lt } from 'drizzle-orm';
import { schema, type Db, type Tx } from '@tissu/db';
import type { PaymentGateway } from '../../plugins/stripe.js';
import { ACCOUNTS, postEntry } from '../ledger/index.js';
import * as apps from './applications-repository.js';

const { membershipApplications: applications } = schema;

/**
 * Stripe's fee on a qualifying share paid online. A share is charged on the platform's own
 * account, so Stripe takes its fee from the platform's balance, as for bookings: a
 * processor_fees expense (Dr processor_fees, Cr client_payments), read after the webhook's
 * commit and booked once, whether the share became a membership or awaits a refund.
 */
export function createShareFees(deps: { db: Db; gateway: PaymentGateway }) {
  const { db, gateway } = deps;

  async function record(applicationId: string): Promise<void> {
    const [app] = await db.select().from(applications).where(eq(applications.id, applicationId));
    if (!app?.paymentIntentId || app.processorFeeCents !== null) return;
    const { processorFeeCents } = await gateway.chargeDetails(app.paymentIntentId);
    if (processorFeeCents === null) return;
    await db.transaction(async (tx) => {
      const locked = await apps.lockApplication(tx, { id: applicationId });
      if (!locked || locked.processorFeeCents !== null) return;
      await apps.updateApplication(tx, locked.id, { processorFeeCents });
      await bookShareFee(tx, locked, processorFeeCents);
    });
  }

  return {
    record,
    /** Shares paid at least 30 s ago whose fee is still unknown (Stripe was slow): asked again. */
    async fillMissing(now: Date, limit = 50): Promise<{ filled: number; failed: number }> {
      const rows = await db
        .select({ id: applications.id })
        .from(applications)
        .where(and(inArray(applications.status, ['paid', 'unapplied']), isNotNull(applications.paymentIntentId), isNull(applications.processorFeeCents), lt(applications.paidAt, new Date(now.getTime() - 30_000))))
        .limit(limit);
      let filled = 0;
      let failed = 0;
      for (const r of rows) {
        try {
          await record(r.id);
          filled += 1;
        } catch {
          failed += 1;
        }
      }
      return { filled, failed };
    },
  };
}

async function bookShareFee(tx: Tx, app: apps.ApplicationRow, feeCents: number) {
  await postEntry(tx, {
    kind: 'processor_fee', source: `processor_fee:membership_application:${app.id}`, memo: 'Stripe processing fee (qualifying share)',
    occurredAt: app.paidAt ?? undefined,
    lines: [
      { account: ACCOUNTS.processorFees, amount: feeCents },
      { account: ACCOUNTS.clientPayments, amount: -feeCents },
    ],
  });
}

export type ShareFees = ReturnType<typeof createShareFees>;
