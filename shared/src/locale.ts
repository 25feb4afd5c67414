export const LOCALES = ['fr', 'en'] as const;
export type AppLocale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: AppLocale = 'fr';

/** A piece of text every public thing carries in both languages. */
export function pick<T extends { fr: string; en: string }>(text: T, locale: AppLocale): string {
  return text[locale] || text.fr || text.en;
}
