/**
 * What the web needs to show a photo, apart from its markup (components/Photo.svelte): the alt text
 * in the reader's language, and the placeholder a card shows when its listing and co-op have none.
 * Pure, so unit tests read it without a browser.
 */

/** A photo as the API answers it (shared/src/schemas/photos.ts); only the fields the markup reads. */
export interface ShownPhoto {
  width: number;
  height: number;
  alt: { fr: string; en: string };
  src: string;
  srcset: string;
  sources: readonly { type: string; srcset: string }[];
}

/**
 * The alt text in the page's language, else the other language's, else '' (a photo nobody
 * described is read as decorative: never "undefined" or a file name).
 */
export function photoAlt(alt: { fr?: string | null; en?: string | null } | null | undefined, lang: 'fr' | 'en'): string {
  const fr = alt?.fr?.trim() ?? '';
  const en = alt?.en?.trim() ?? '';
  return lang === 'en' ? en || fr : fr || en;
}

/**
 * A co-op's initials for the card that has no photo: the first letters of its first two words that
 * are not little words ("Coop de ménage Éclair" → "MÉ"), upper-cased; one letter for one word.
 */
const LITTLE_WORDS = new Set(['coop', 'co-op', 'coopérative', 'cooperative', 'de', 'des', 'du', 'la', 'le', 'les', 'l', 'd', 'et', 'the', 'of', 'and', 'a']);
export function coopInitials(name: string): string {
  const words = name
    .split(/[\s'’\-–—_.,/&]+/u)
    .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ''))
    .filter(Boolean);
  const kept = words.filter((w) => !LITTLE_WORDS.has(w.toLowerCase()));
  const chosen = (kept.length ? kept : words).slice(0, 2);
  const initials = chosen.map((w) => [...w][0] ?? '').join('');
  return initials.toLocaleUpperCase('fr-CA') || '?';
}

/**
 * One of a few colours for the placeholder, always the same for one co-op (a hash of its id or
 * slug); each carries white text at a contrast of at least 4.5:1.
 */
export const PLACEHOLDER_TONES = ['#a13d24', '#2f6b5a', '#5b4a8a', '#1f5f8b', '#7a4b18', '#8a2f55'] as const;
export function placeholderTone(key: string): string {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
  return PLACEHOLDER_TONES[h % PLACEHOLDER_TONES.length] ?? PLACEHOLDER_TONES[0];
}

/**
 * The photo a card shows: the one search chose (`photo`: the listing's first, else its co-op's
 * cover), else the listing's first photo, else none (the card shows its co-op's initials).
 */
export function cardPhoto(listing: { photo?: ShownPhoto | null; photos?: readonly ShownPhoto[] | null }): ShownPhoto | null {
  return listing.photo ?? listing.photos?.[0] ?? null;
}

/** The widest image a srcset offers ("a.jpg 320w, b.jpg 1280w" → "b.jpg"), else the fallback. */
export function largestInSrcset(srcset: string, fallback: string): string {
  let best: { url: string; w: number } | null = null;
  for (const part of srcset.split(',')) {
    const [url, descriptor] = part.trim().split(/\s+/);
    const w = Number.parseInt(descriptor ?? '', 10);
    if (url && Number.isFinite(w) && (!best || w > best.w)) best = { url, w };
  }
  return best?.url ?? fallback;
}
