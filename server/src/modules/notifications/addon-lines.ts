import { asc, eq } from 'drizzle-orm';
import { formatMoney, type AppLocale } from '@tissu/shared';
import { schema, type Tx } from '@tissu/db';

const minutesText = (n: number, locale: AppLocale) => {
  const h = Math.floor(n / 60);
  const min = n % 60;
  if (h === 0) return `${min} min`;
  return locale === 'fr' ? `${h} h${min ? ` ${String(min).padStart(2, '0')}` : ''}` : `${h} h${min ? ` ${min} min` : ''}`;
};

/**
 * The add-ons chosen for a booking, as its emails say them: "Options : Intérieur du frigo (+30 min,
 * 25,00 $)". A worker (`amounts` false) reads what to do and how long, never prices. No add-on: no line.
 */
export async function addonLines(tx: Tx, bookingId: string, locale: AppLocale, amounts: boolean): Promise<string[]> {
  const rows = await tx
    .select({ nameFr: schema.bookingAddons.nameFr, nameEn: schema.bookingAddons.nameEn, priceCents: schema.bookingAddons.priceCents, extraMinutes: schema.bookingAddons.extraMinutes })
    .from(schema.bookingAddons)
    .where(eq(schema.bookingAddons.bookingId, bookingId))
    .orderBy(asc(schema.bookingAddons.position));
  return addonsInWords(rows, locale, amounts);
}

/** Add-ons as an email says them, from a booking's copy or a series' (every visit of it comes with them). */
export function addonsInWords(rows: readonly { nameFr: string; nameEn: string; priceCents: number; extraMinutes: number }[], locale: AppLocale, amounts: boolean): string[] {
  if (rows.length === 0) return [];
  const items = rows.map((r) => {
    const details = [r.extraMinutes ? `+${minutesText(r.extraMinutes, locale)}` : '', amounts ? formatMoney(r.priceCents, locale) : ''].filter(Boolean);
    return `${locale === 'fr' ? r.nameFr : r.nameEn}${details.length ? ` (${details.join(', ')})` : ''}`;
  });
  return [`${locale === 'fr' ? 'Options :' : 'Add-ons:'} ${items.join(locale === 'fr' ? ' ; ' : '; ')}`];
}
