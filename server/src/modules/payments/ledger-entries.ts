import type { Tx } from '@tissu/db';
import { ACCOUNTS, coopPayable, type EntryInput, postEntry, taxesCollected } from '../ledger/index.js';
import type { PaymentRow, RefundRow } from './repository.js';

/*
 * Each entry occurs when its money moved (the payment's paidAt, the refund's createdAt), not when
 * it was written: a fee read late still belongs to the day of the charge, hence to its fiscal year.
 * The builders are separate from the posting so a batch (demo data) books exactly the same entries.
 */

/**
 * A client's payment: the whole amount reaches the platform's Stripe balance; the fee is the
 * platform's revenue, the taxes and the rest are owed to the co-op. With a destination charge
 * Stripe moves the co-op's share at once, so the transfer is booked with it.
 */
export function paymentEntries(p: PaymentRow, source: string): EntryInput[] {
  const taxes = p.gstCents + p.qstCents;
  const coopShare = p.coopCents - taxes;
  const occurredAt = p.paidAt ?? undefined;
  return [
    {
      kind: 'payment', source, bookingId: p.bookingId, memo: `Payment ${p.paymentIntentId ?? p.checkoutSessionId}`, occurredAt,
      lines: [
        { account: ACCOUNTS.clientPayments, amount: p.totalCents },
        { account: ACCOUNTS.platformFeeRevenue, amount: -p.platformFeeCents },
        { account: taxesCollected(p.coopId), amount: -taxes },
        { account: coopPayable(p.coopId), amount: -coopShare },
      ],
    },
    {
      kind: 'transfer', source: `${source}:transfer`, bookingId: p.bookingId, memo: 'Co-op share transferred by Stripe', occurredAt,
      lines: [
        { account: taxesCollected(p.coopId), amount: taxes },
        { account: coopPayable(p.coopId), amount: coopShare },
        { account: ACCOUNTS.clientPayments, amount: -p.coopCents },
      ],
    },
  ];
}

export async function bookPayment(tx: Tx, p: PaymentRow, source: string) {
  for (const e of paymentEntries(p, source)) await postEntry(tx, e);
}

/** Stripe's own fee on a charge, once known: a platform expense taken from its balance. */
export function processorFeeEntry(p: PaymentRow, feeCents: number): EntryInput {
  return {
    kind: 'processor_fee', source: `processor_fee:${p.id}`, bookingId: p.bookingId, memo: 'Stripe processing fee', occurredAt: p.paidAt ?? undefined,
    lines: [
      { account: ACCOUNTS.processorFees, amount: feeCents },
      { account: ACCOUNTS.clientPayments, amount: -feeCents },
    ],
  };
}

export async function bookProcessorFee(tx: Tx, p: PaymentRow, feeCents: number) {
  await postEntry(tx, processorFeeEntry(p, feeCents));
}

/**
 * A refund: the client gets `total` back from the platform's balance; the platform gives back its
 * share of the fee, and the co-op's share (taxes included) is pulled back by a transfer reversal.
 */
export function refundEntries(p: PaymentRow, r: RefundRow): EntryInput[] {
  const taxes = r.gstCents + r.qstCents;
  const coopShare = r.coopCents - taxes;
  return [
    {
      kind: 'refund', source: `refund:${r.id}`, bookingId: r.bookingId, memo: `Refund (${r.kind}): ${r.reason}`, occurredAt: r.createdAt,
      lines: [
        { account: ACCOUNTS.clientPayments, amount: -r.totalCents },
        { account: ACCOUNTS.platformFeeRevenue, amount: r.platformFeeCents },
        { account: taxesCollected(p.coopId), amount: taxes },
        { account: coopPayable(p.coopId), amount: coopShare },
      ],
    },
    {
      kind: 'transfer_reversal', source: `refund:${r.id}:reversal`, bookingId: r.bookingId, memo: 'Co-op share returned by transfer reversal', occurredAt: r.createdAt,
      lines: [
        { account: ACCOUNTS.clientPayments, amount: r.coopCents },
        { account: taxesCollected(p.coopId), amount: -taxes },
        { account: coopPayable(p.coopId), amount: -coopShare },
      ],
    },
  ];
}

export async function bookRefund(tx: Tx, p: PaymentRow, r: RefundRow) {
  for (const e of refundEntries(p, r)) await postEntry(tx, e);
}
