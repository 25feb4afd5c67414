/**
 * A payment's amounts in words: "taxes comprises" only when there are taxes (a co-op not
 * registered for GST and QST collects none), and where the money went once refunds are counted.
 */
import { reasonIn, visitChargeAt, type Booking, type BookingAddon, type MoneyBreakdown, type PaymentSummary } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { inLocale, locale, money, percent, percentFromBps } from '$lib/i18n';
import { formatDateTimeIn } from '$lib/time';

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

// What Tissu writes when a cancellation is left without a reason: the refund's kind already says it.
const SAID_BY_KIND: Partial<Record<PaymentSummary['refunds'][number]['kind'], string>> = {
  client_cancellation: 'Cancelled by the client',
  coop_cancellation: 'Cancelled by the co-op',
  no_show: 'Client absent (no-show)',
};

/**
 * Why a refund was made, beside its kind: Tissu's own reasons (stored in English) in the reader's
 * words, a person's as typed; nothing when none was given or it only restates the kind.
 */
export function refundReason(r: Pick<PaymentSummary['refunds'][number], 'kind' | 'reason'>): string | null {
  if (!r.reason || SAID_BY_KIND[r.kind] === r.reason) return null;
  return reasonIn(r.reason, locale());
}

/** A saved card as people know it: "Visa •••• 4242" (never more than the last four digits). */
export function cardName(card: { brand: string; last4: string }): string {
  const b = card.brand;
  const brand = b === 'visa' ? 'Visa' : b === 'mastercard' ? 'Mastercard' : b === 'amex' ? 'American Express' : b.charAt(0).toUpperCase() + b.slice(1);
  return `${brand} •••• ${card.last4}`;
}

/**
 * What the pay section tells the client of a visit of a series that her saved card will pay: the
 * card and when (the charge job's own rule, shared visitChargeAt), unless she pays now. Once that
 * time has come the job is about to run: "in the next few minutes", never a date in the past. Null
 * when nothing will be charged: no card, not a visit, not accepted, or paid already.
 */
export function savedCardCharge(
  booking: Pick<Booking, 'series' | 'state' | 'startsAt' | 'timeZone' | 'createdAt' | 'cancellation'>,
  payment: Pick<PaymentSummary, 'payable' | 'status'>,
  card: { brand: string; last4: string } | null,
  now: Date,
): string | null {
  if (!booking.series || !card || booking.state !== 'accepted' || !payment.payable || (payment.status !== 'unpaid' && payment.status !== 'open')) return null;
  const { coopAcceptedAt } = booking.cancellation;
  const at = visitChargeAt(booking.cancellation, new Date(booking.startsAt), coopAcceptedAt ? { requestedAt: new Date(booking.createdAt), acceptedAt: new Date(coopAcceptedAt) } : null);
  return at.getTime() > now.getTime()
    ? m.pay_saved_card_will_charge({ card: cardName(card), date: formatDateTimeIn(at, booking.timeZone) })
    : m.pay_saved_card_charging_soon({ card: cardName(card) });
}

/**
 * What the client's cancel form says cancelling a paid booking now does, from the API's figures
 * (payments' refund preview, the refund's own code): free, all she paid back; late, what the co-op
 * keeps in parts (its service share and the taxes on it) and what comes back. kept + refunded = paid.
 */
export function cancelNowText(
  c: NonNullable<PaymentSummary['cancelNow']>, lateCancellationPercent: number, terms?: { priceCents: number; inParts: boolean },
): string {
  // Paid with a deposit: the balance was never charged, and is no longer owed once cancelled.
  const balance = terms?.inParts ? ` ${m.cancel_balance_not_owed()}` : '';
  if (c.kept.totalCents === 0) return m.cancel_free_paid({ refund: money(c.refundCents) }) + balance;
  const values = { paid: money(c.paidCents), percent: percent(lateCancellationPercent), kept: money(c.kept.totalCents), refund: money(c.refundCents) };
  const parts = [
    money(c.kept.serviceCents),
    c.kept.gstCents ? m.cancel_late_gst({ amount: money(c.kept.gstCents) }) : '',
    c.kept.qstCents ? m.cancel_late_qst({ amount: money(c.kept.qstCents) }) : '',
  ].filter(Boolean).join(' + ');
  // The policy's share of the whole price is more than was paid (a deposit): it keeps what was paid, and says so.
  const share = terms ? Math.floor((terms.priceCents * lateCancellationPercent + 50) / 100) : 0;
  if (terms && c.kept.serviceCents < share) {
    return (c.refundCents === 0 ? m.cancel_late_capped_all({ ...values, share: money(share), parts }) : m.cancel_late_capped({ ...values, share: money(share), parts })) + balance;
  }
  if (c.kept.gstCents + c.kept.qstCents === 0) return m.cancel_late_no_taxes(values) + balance;
  return m.cancel_late({ ...values, parts }) + balance;
}

/** The add-ons a booking carries, as the price breakdown lists them (the amounts its reader may see). */
export function addonLines(addons: readonly Pick<BookingAddon, 'nameFr' | 'nameEn' | 'priceCents'>[]): { name: string; cents: number }[] {
  return addons.flatMap((a) => (a.priceCents == null ? [] : [{ name: inLocale(a.nameFr, a.nameEn), cents: a.priceCents }]));
}

const SETTLED_PART = new Set(['paid', 'partially_refunded', 'refunded']);

/** A two-part booking's parts that took money (paid, even if refunded since). */
export const paidParts = (payment: Pick<PaymentSummary, 'installments'>) => payment.installments.filter((p) => SETTLED_PART.has(p.status));

/** Paid in two parts, one never paid and no longer owed (cancelled, or a no-show, before the balance). */
export const partNotOwed = (payment: Pick<PaymentSummary, 'installments'>) => payment.installments.some((p) => p.status === 'not_owed');

/**
 * The breakdown a receipt shows: the whole price, or, with a part no longer owed, the parts paid, so
 * its total and split are what was taken and what the ledger holds (the co-op's share is what was
 * paid less Tissu's fee).
 */
export function receiptBreakdown(payment: Pick<PaymentSummary, 'breakdown' | 'installments'>): MoneyBreakdown {
  if (!partNotOwed(payment)) return payment.breakdown;
  const paid = paidParts(payment);
  const sum = (f: 'serviceCents' | 'gstCents' | 'qstCents' | 'totalCents' | 'platformFeeCents') => paid.reduce((s, p) => s + p[f], 0);
  return { ...payment.breakdown, serviceCents: sum('serviceCents'), gstCents: sum('gstCents'), qstCents: sum('qstCents'), totalCents: sum('totalCents'), platformFeeCents: sum('platformFeeCents'), coopCents: sum('totalCents') - sum('platformFeeCents') };
}
