/**
 * A payment's amounts in words: "taxes comprises" only when there are taxes (a co-op not
 * registered for GST and QST collects none), and where the money went once refunds are counted.
 */
import type { MoneyBreakdown, PaymentSummary } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { money, percentFromBps } from '$lib/i18n';

type Refund = Pick<PaymentSummary['refunds'][number], 'totalCents' | 'gstCents' | 'qstCents' | 'platformFeeCents'>;

const taxesOf = (b: Pick<MoneyBreakdown, 'gstCents' | 'qstCents'>) => b.gstCents + b.qstCents;

/** Beside a total: "taxes comprises", or "sans taxes" when the co-op collects none. */
export function taxesNote(b: Pick<MoneyBreakdown, 'gstCents' | 'qstCents'>): string {
  return taxesOf(b) > 0 ? m.pay_taxes_included() : m.pay_no_taxes();
}

/**
 * Where the total goes: the co-op's part (with the taxes it remits, when there are any) and
 * Tissu's fee. After refunds, what each keeps: refunded + co-op + Tissu = the total paid, a sum
 * anyone can redo; refunded in full, nobody keeps anything.
 */
export function breakdownSplit(b: MoneyBreakdown, refunds: readonly Refund[] = []): string {
  const rate = percentFromBps(b.feeRateBps);
  const refunded = refunds.reduce((s, r) => s + r.totalCents, 0);
  if (refunded === 0) {
    const values = { coop: money(b.coopCents), fee: money(b.platformFeeCents), rate };
    return taxesOf(b) > 0 ? m.breakdown_split(values) : m.breakdown_split_no_taxes(values);
  }
  if (refunded >= b.totalCents) return m.breakdown_split_refunded({ total: money(b.totalCents) });
  const feeRefunded = refunds.reduce((s, r) => s + r.platformFeeCents, 0);
  const taxesRefunded = refunds.reduce((s, r) => s + r.gstCents + r.qstCents, 0);
  const values = {
    refunded: money(refunded),
    coop: money(b.coopCents - (refunded - feeRefunded)),
    fee: money(b.platformFeeCents - feeRefunded),
    rate,
  };
  return taxesOf(b) - taxesRefunded > 0 ? m.breakdown_split_after_refund(values) : m.breakdown_split_after_refund_no_taxes(values);
}

/** A refund's parts: "service 40,00 $, sans taxes" when none were paid, else with its GST and QST. */
export function refundLines(r: Pick<Refund, 'gstCents' | 'qstCents'> & { serviceCents: number }): string {
  if (r.gstCents + r.qstCents === 0) return m.receipt_refund_service_only({ service: money(r.serviceCents) });
  return m.receipt_refund_lines({ service: money(r.serviceCents), gst: money(r.gstCents), qst: money(r.qstCents) });
}

/** A saved card as people know it: "Visa •••• 4242" (never more than the last four digits). */
export function cardName(card: { brand: string; last4: string }): string {
  const b = card.brand;
  const brand = b === 'visa' ? 'Visa' : b === 'mastercard' ? 'Mastercard' : b === 'amex' ? 'American Express' : b.charAt(0).toUpperCase() + b.slice(1);
  return `${brand} •••• ${card.last4}`;
}
