/** Turning domain values into text for the active locale. Safe on the server and in the browser. */
import { CATEGORIES, REGIONS, dateTimeFormat, firstOfMonth, formatMoney, numberFormat, startsWithVowelSound } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/locale';

export type Locale = 'fr' | 'en';

export const locale = (): Locale => getLocale();

export const intlLocale = (l: Locale = locale()) => (l === 'fr' ? 'fr-CA' : 'en-CA');
const TIME_ZONE = 'America/Toronto';

export function money(cents: number): string {
  return formatMoney(cents, locale());
}

/** "12,50 $ / h" for an hourly rate, "12,50 $" for a fixed price. */
export function price(cents: number, kind: 'hourly' | 'fixed'): string {
  return kind === 'hourly' ? m.price_per_hour({ price: money(cents) }) : money(cents);
}

export function formatDate(iso: string): string {
  // "1er janvier 2027": French writes the first of a month so, Intl does not.
  return firstOfMonth(dateTimeFormat(intlLocale(locale()), {
    dateStyle: 'long',
    timeZone: TIME_ZONE,
  }).format(new Date(iso)), locale() === 'fr');
}

/** "16 mars 2026 à 9 h 00" / "Mar 16, 2026 at 9:00 a.m." in Montréal (the time as lib/time writes it). */
export function formatDateTime(iso: string): string {
  const at = new Date(iso);
  const date = dateTimeFormat(intlLocale(), { dateStyle: 'medium', timeZone: TIME_ZONE }).format(at);
  const time = dateTimeFormat(intlLocale(), { hour: 'numeric', minute: '2-digit', timeZone: TIME_ZONE }).format(at);
  return m.date_at_time({ date, time });
}

/** A count or whole number as the language groups it: 3136 → "3 136" / "3,136". */
export function formatCount(n: number): string {
  return numberFormat(intlLocale(), { maximumFractionDigits: 0 }).format(n);
}

/**
 * The one way to write a duration: "45 min", "3 h", "3 136 h 45" / "3,136 h 45 min", "2 jours". Hours
 * and minutes, never decimal hours, and no duration at all reads "0 h".
 */
export function formatDuration(minutes: number): string {
  const day = 24 * 60;
  if (minutes >= day && minutes % day === 0) return m.duration_days({ count: minutes / day });
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0 && rest > 0) return m.duration_minutes({ minutes: rest });
  if (rest === 0) return m.duration_hours({ hours: formatCount(hours) });
  return m.duration_hours_minutes({ hours: formatCount(hours), minutes: String(rest).padStart(2, '0') });
}

/**
 * French elides "de" before a vowel sound: "Minutes d'Amina", "de Sophie". The messages pick their
 * variant with this ("yes" / "no"); English ignores it.
 */
export function elides(name: string): 'yes' | 'no' {
  return startsWithVowelSound(name) ? 'yes' : 'no';
}

/** At most `max` characters of a text typed by someone, cut at a word where one is near, with "…". */
export function shortened(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A text the co-op wrote in both languages, in the reader's language when there is one. */
export function inLocale(fr: string, en: string): string {
  return (locale() === 'en' ? en || fr : fr || en) ?? '';
}

export function categoryLabel(slug: string): string {
  const c = CATEGORIES.find((x) => x.slug === slug);
  return c ? c[locale()] : slug;
}

export function regionLabel(slug: string): string {
  const r = REGIONS.find((x) => x.slug === slug);
  return r ? r[locale()] : slug;
}

const LANGUAGE_NAMES: Record<string, () => string> = {
  fr: m.language_fr,
  en: m.language_en,
  es: m.language_es,
  ar: m.language_ar,
  ht: m.language_ht,
  pt: m.language_pt,
  zh: m.language_zh,
  vi: m.language_vi,
  it: m.language_it,
  fa: m.language_fa,
};

export function languageLabel(code: string): string {
  return LANGUAGE_NAMES[code]?.() ?? code;
}

const LEGAL_FORMS: Record<string, () => string> = {
  worker_coop: m.legal_form_worker_coop,
  solidarity_coop: m.legal_form_solidarity_coop,
  producer_coop: m.legal_form_producer_coop,
  non_profit: m.legal_form_non_profit,
};

export function legalFormLabel(form: string): string {
  return LEGAL_FORMS[form]?.() ?? form;
}

const ROLES: Record<string, () => string> = { admin: m.role_admin, worker: m.role_worker };
export const roleLabel = (role: string): string => ROLES[role]?.() ?? role;

const COOP_STATUSES: Record<string, () => string> = {
  pending: m.coop_status_pending,
  approved: m.coop_status_approved,
  rejected: m.coop_status_rejected,
};
export const coopStatusLabel = (status: string): string => COOP_STATUSES[status]?.() ?? status;

const LISTING_STATUSES: Record<string, () => string> = {
  active: m.listing_status_active,
  paused: m.listing_status_paused,
  archived: m.listing_status_archived,
};
export const listingStatusLabel = (status: string): string => LISTING_STATUSES[status]?.() ?? status;

const LOCATION_MODES: Record<string, () => string> = {
  client_place: m.location_client_place,
  at_coop: m.location_at_coop,
  remote: m.location_remote,
};
export const locationModeLabel = (mode: string): string => LOCATION_MODES[mode]?.() ?? mode;

/**
 * The reason of the platform's founding fee rate was written once, in English, by the migration
 * that set it (db/migrations/0006); it reads in the reader's language. Reasons a steward types
 * later are shown as typed.
 */
const FOUNDING_FEE_REASON = 'Founding rate adopted by the members';
export const feeReasonText = (reason: string): string => (reason === FOUNDING_FEE_REASON ? m.fees_reason_founding() : reason);

/** A rate in basis points as a percentage: 500 → "5 %" / "5%". */
export function percentFromBps(bps: number): string {
  return numberFormat(intlLocale(), { style: 'percent', maximumFractionDigits: 2 }).format(bps / 10_000);
}

/** A whole percentage: 50 → "50 %" / "50%". */
export function percent(whole: number): string {
  return numberFormat(intlLocale(), { style: 'percent', maximumFractionDigits: 0 }).format(whole / 100);
}
