import type { Tx } from '@tissu/db';
import { ACCOUNTS, coopPayable, taxesCollected } from '../ledger/accounts.js';
import { postEntry } from '../ledger/post.js';
import type { PaymentRow, RefundRow } from './repository.js';

/**
 * A client's payment: the whole amount reaches the platform's Stripe balance; the fee is the
 * platform's revenue, the taxes and the rest are owed to the co-op. With a destination charge
 * Stripe moves the co-op's share at once, so the transfer is booked with it.
 */
export async function bookPayment(tx: Tx, p: PaymentRow, source: string) {
  const taxes = p.gstCents + p.qstCents;
  const coopShare = p.coopCents - taxes;
  await postEntry(tx, {
    kind: 'payment', source, bookingId: p.bookingId, memo: `Payment ${p.paymentIntentId ?? p.checkoutSessionId}`,
    lines: [
      { account: ACCOUNTS.clientPayments, amount: p.totalCents },
      { account: ACCOUNTS.platformFeeRevenue, amount: -p.platformFeeCents },
      { account: taxesCollected(p.coopId), amount: -taxes },
      { account: coopPayable(p.coopId), amount: -coopShare },
    ],
  });
  await postEntry(tx, {
    kind: 'transfer', source: `${source}:transfer`, bookingId: p.bookingId, memo: 'Co-op share transferred by Stripe',
    lines: [
      { account: taxesCollected(p.coopId), amount: taxes },
      { account: coopPayable(p.coopId), amount: coopShare },
      { account: ACCOUNTS.clientPayments, amount: -p.coopCents },
    ],
  });
}

/** Stripe's own fee on a charge, once known: a platform expense taken from its balance. */
export async function bookProcessorFee(tx: Tx, p: PaymentRow, feeCents: number) {
  await postEntry(tx, {
    kind: 'processor_fee', source: `processor_fee:${p.id}`, bookingId: p.bookingId, memo: 'Stripe processing fee',
    lines: [
      { account: ACCOUNTS.processorFees, amount: feeCents },
      { account: ACCOUNTS.clientPayments, amount: -feeCents },
    ],
  });
}

/**
 * A refund: the client gets `total` back from the platform's balance; the platform gives back its
 * share of the fee, and the co-op's share (taxes included) is pulled back by a transfer reversal.
 */
export async function bookRefund(tx: Tx, p: PaymentRow, r: RefundRow) {
  const taxes = r.gstCents + r.qstCents;
  const coopShare = r.coopCents - taxes;
  await postEntry(tx, {
    kind: 'refund', source: `refund:${r.id}`, bookingId: r.bookingId, memo: `Refund (${r.kind}): ${r.reason}`,
    lines: [
      { account: ACCOUNTS.clientPayments, amount: -r.totalCents },
      { account: ACCOUNTS.platformFeeRevenue, amount: r.platformFeeCents },
      { account: taxesCollected(p.coopId), amount: taxes },
      { account: coopPayable(p.coopId), amount: coopShare },
    ],
  });
  await postEntry(tx, {
    kind: 'transfer_reversal', source: `refund:${r.id}:reversal`, bookingId: r.bookingId, memo: 'Co-op share returned by transfer reversal',
    lines: [
      { account: ACCOUNTS.clientPayments, amount: r.coopCents },
      { account: taxesCollected(p.coopId), amount: -taxes },
      { account: coopPayable(p.coopId), amount: -coopShare },
    ],
  });
}
