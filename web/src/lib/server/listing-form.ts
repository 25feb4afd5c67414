import { CreateListingBody, UpdateListingBody, parseMoneyToCents } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import type { FieldMessages } from './forms';
import { check, str, strs, amountFormatText } from './forms';

/** The API counts cents; the form asks for dollars under these names. */
export const LISTING_FIELD_NAMES = { priceCents: 'price', solidarityPriceCents: 'solidarityPrice' };

/** A percent as typed ("30", " 30 "): a number for the API (which takes no strings); anything else stays text, refused by the schema. */
function percentOf(typed: string): number | string | undefined {
  const t = typed.trim();
  if (!t) return undefined;
  return /^\d{1,3}$/.test(t) ? Number(t) : t;
}

/**
 * Reads the listing form and checks it with the shared schema. Prices are typed in dollars
 * ("45", "45,50") and become cents here.
 */
export function readListing(data: FormData, mode: 'create' | 'update') {
  const priceText = str(data, 'price').trim();
  const solidarityText = str(data, 'solidarityPrice').trim();
  const priceCents = priceText ? parseMoneyToCents(priceText) : undefined;
  const solidarityPriceCents = solidarityText ? parseMoneyToCents(solidarityText) : null;

  const input = {
    titleFr: str(data, 'titleFr'),
    titleEn: str(data, 'titleEn'),
    descriptionFr: str(data, 'descriptionFr'),
    descriptionEn: str(data, 'descriptionEn'),
    category: str(data, 'category'),
    priceKind: str(data, 'priceKind'),
    priceCents: priceCents ?? undefined,
    durationMinutes: str(data, 'durationMinutes').trim() || undefined,
    locationMode: str(data, 'locationMode'),
    boroughs: strs(data, 'boroughs'),
    solidarityPriceCents: solidarityPriceCents ?? null,
    quoteMode: str(data, 'quoteMode') || undefined,
    depositPercent: percentOf(str(data, 'depositPercent')),
  };
  const schema = mode === 'create' ? CreateListingBody : UpdateListingBody;
  const result = check(schema, input, LISTING_FIELD_NAMES);

  const moneyErrors: FieldMessages = {};
  if (!priceText) moneyErrors.price = [m.err_required()];
  else if (priceCents === null) moneyErrors.price = [amountFormatText(priceText)];
  if (solidarityText && solidarityPriceCents === null) moneyErrors.solidarityPrice = [amountFormatText(solidarityText)];

  if (Object.keys(moneyErrors).length) {
    const errors = result.ok ? {} : result.errors;
    return { ok: false as const, errors: { ...errors, ...moneyErrors } };
  }
  return result;
}
