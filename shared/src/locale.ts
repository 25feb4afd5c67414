export const LOCALES = ['fr', 'en'] as const;
export type AppLocale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: AppLocale = 'fr';

/** A piece of text every public thing carries in both languages. */
export function pick<T extends { fr: string; en: string }>(text: T, locale: AppLocale): string {
  return text[locale] || text.fr || text.en;
}

/** A name French elides "de" before ("d'Amina", "d'Yasmine"): it starts with a vowel (y counts, h not). */
export function startsWithVowelSound(name: string): boolean {
  return /^[aeiouyàâäéèêëîïôöùûüæœ]/i.test(name.trim());
}
