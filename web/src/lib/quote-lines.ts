/**
 * The lines of a quote as the co-op types them, read into integer cents: what the offer editor's
 * live totals show and what its form action sends. The rounding is the API's (each line half up to
 * the cent, shared offerPrice), so the totals shown while typing are the ones the offer will carry.
 */
import { lineAmountCents, offerPrice, parseMoneyToCents, type OfferPrice, type TaxRegistration } from '@tissu/shared';

export type LineMode = 'unit' | 'fixed';

/** One row of the editor, as typed. */
export interface LineDraft {
  label: string;
  mode: LineMode;
  quantity: string;
  unitPrice: string;
  amount: string;
}

export interface LineRead {
  label: string;
  /** Hundredths: 150 is a quantity of 1.5; a fixed amount counts as 1. */
  quantityHundredths: number;
  unitCents: number;
  totalCents: number;
  mode: LineMode;
}

export const emptyLine = (): LineDraft => ({ label: '', mode: 'unit', quantity: '1', unitPrice: '', amount: '' });

/** A row with nothing typed in it is no line at all (the form always offers a spare row). */
export function isBlankLine(l: LineDraft): boolean {
  return !l.label.trim() && !l.unitPrice.trim() && !l.amount.trim() && (l.mode === 'fixed' || !l.quantity.trim() || l.quantity.trim() === '1');
}

/** "1,5" → 150; at most two decimals, above zero; null otherwise. */
export function parseQuantity(text: string): number | null {
  const cents = parseMoneyToCents(text.replace(/\$/g, 'x'));
  return cents === null || cents <= 0 ? null : cents;
}

/** What one row is worth, or why it is not a line yet. */
export function readLine(l: LineDraft): { ok: true; line: LineRead } | { ok: false; errors: Partial<Record<'label' | 'quantity' | 'unitPrice' | 'amount', true>> } {
  const errors: Partial<Record<'label' | 'quantity' | 'unitPrice' | 'amount', true>> = {};
  if (!l.label.trim()) errors.label = true;
  if (l.mode === 'fixed') {
    const amount = parseMoneyToCents(l.amount);
    if (amount === null || amount <= 0) errors.amount = true;
    if (Object.keys(errors).length || amount === null) return { ok: false, errors };
    return { ok: true, line: { label: l.label.trim(), mode: 'fixed', quantityHundredths: 100, unitCents: amount, totalCents: amount } };
  }
  const quantity = parseQuantity(l.quantity);
  const unit = parseMoneyToCents(l.unitPrice);
  if (quantity === null) errors.quantity = true;
  if (unit === null || unit <= 0) errors.unitPrice = true;
  if (Object.keys(errors).length || quantity === null || unit === null) return { ok: false, errors };
  return { ok: true, line: { label: l.label.trim(), mode: 'unit', quantityHundredths: quantity, unitCents: unit, totalCents: lineTotalCents(quantity, unit) } };
}

/** Quantity × unit price, rounded half up to the cent (the API's own rule). */
export function lineTotalCents(quantityHundredths: number, unitCents: number): number {
  return lineAmountCents({ label: '', quantity: quantityHundredths / 100, unitPriceCents: unitCents });
}

/** The totals of the rows typed so far (deposit and balance too), or null while a non-blank row is not a line yet. */
export function draftTotals(lines: readonly LineDraft[], feeRateBps: number, taxes: TaxRegistration, depositPercent = 0): OfferPrice | null {
  const rows = lines.filter((l) => !isBlankLine(l));
  if (!rows.length) return null;
  const read = rows.map(readLine);
  if (read.some((r) => !r.ok)) return null;
  const inputs = read.map((r) => (r.ok ? r.line : null)!).map((l) => ({ label: l.label, quantity: l.mode === 'fixed' ? null : l.quantityHundredths / 100, unitPriceCents: l.unitCents }));
  return offerPrice(inputs, feeRateBps, taxes, depositPercent);
}

/** "1,5" / "1.5" / "2" for a quantity in hundredths, as the person's language writes it. */
export function quantityText(hundredths: number, locale: 'fr' | 'en'): string {
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-CA' : 'en-CA', { maximumFractionDigits: 2 }).format(hundredths / 100);
}
