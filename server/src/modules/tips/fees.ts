import type { Db, Tx } from '@tissu/db';
import type { PaymentGateway } from '../../plugins/stripe.js';
import { ACCOUNTS, postEntry } from '../ledger/index.js';
import * as repo from './repository.js';

/**
 * Stripe's fee on a tip. A tip is a destination charge without an application fee: the whole tip
 * reaches the co-op, and Stripe takes its fee from the platform's balance, as it does on a booking's
 * payment. So it is booked the same way, a processor_fees expense (Dr processor_fees, Cr
 * client_payments), read after the payment's commit and booked once (keyed by the tip); otherwise
 * the platform's Stripe balance drifts below what the ledger says it holds.
 */
export function createTipFees(deps: { db: Db; gateway: PaymentGateway }) {
  const { db, gateway } = deps;

  async function record(tipId: string): Promise<void> {
    const t = await repo.findTip(db, tipId);
    if (t?.status !== 'paid' || !t.paymentIntentId || t.processorFeeCents !== null) return;
    const { processorFeeCents } = await gateway.chargeDetails(t.paymentIntentId);
    if (processorFeeCents === null) return;
    await db.transaction(async (tx) => {
      const locked = await repo.lockTip(tx, tipId);
      if (!locked || locked.processorFeeCents !== null) return;
      const updated = await repo.updateTip(tx, locked.id, { processorFeeCents });
      await bookTipFee(tx, updated, processorFeeCents);
    });
  }

  return {
    record,
    /** Tips paid at least 30 s ago whose fee is still unknown (Stripe was slow): asked again, by the charge-details job. */
    async fillMissing(now: Date, limit = 50): Promise<{ filled: number; failed: number }> {
      let filled = 0;
      let failed = 0;
      for (const id of await repo.tipsMissingFee(db, new Date(now.getTime() - 30_000), limit)) {
        try {
          await record(id);
          filled += 1;
        } catch {
          failed += 1;
        }
      }
      return { filled, failed };
    },
  };
}

async function bookTipFee(tx: Tx, t: repo.TipRow, feeCents: number) {
  await postEntry(tx, {
    kind: 'processor_fee', source: `processor_fee:tip:${t.id}`, bookingId: t.bookingId, memo: 'Stripe processing fee (tip)', occurredAt: t.paidAt ?? undefined,
    lines: [
      { account: ACCOUNTS.processorFees, amount: feeCents },
      { account: ACCOUNTS.clientPayments, amount: -feeCents },
    ],
  });
}

export type TipFees = ReturnType<typeof createTipFees>;
