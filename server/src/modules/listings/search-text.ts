const MAX_WORDS = 8;

/** websearch syntax the person may have used on purpose: "phrases", -exclusions, "or". */
const OPERATORS = /"|(^|\s)-|(^|\s)or(\s|$)/i;

/**
 * What separates the words of a prefix query: anything but letters, marks and decimal digits.
 * Modifier letters (ʼ ː), ŉ, fractions and other non-decimal numbers (½ ⑴) are separators too:
 * PostgreSQL's unaccent turns them into quotes, colons, spaces or slashes, which to_tsquery
 * would read as syntax ("3½:*" becomes "3 1/2:*", a syntax error).
 */
const NOT_WORD = /[^\p{L}\p{M}\p{Nd}]|[\p{Lm}ŉ]/u;
const SEPARATORS = new RegExp(`(?:${NOT_WORD.source})+`, 'u');

/**
 * Text the prefix form reads exactly as PostgreSQL's parser does: words of letters and decimal
 * digits, spaces, apostrophes, hyphens between letters (the parser indexes "porte-fenêtre" as
 * the compound and as its parts). Elsewhere the parser may keep one token whole where the prefix
 * form splits ("1.5", "coop.ca", "a/b", "2-3" as 2 and -3).
 */
const PLAIN_WORDS = /^(?:(?![\p{Lm}ŉ])[\p{L}\p{M}\p{Nd}]|[\s'’]|(?<=\p{L})-(?=\p{L}))*$/u;

/**
 * The prefix form of a typed query, so "garde d'enf" finds "garde d'enfants" while typing:
 * every word must match and the last one may be unfinished. Words keep letters and digits only,
 * so the text cannot carry to_tsquery operators. Null when there is nothing to add, or when the
 * person used websearch operators that a prefix query would override.
 */
export function prefixQuery(q: string): string | null {
  if (OPERATORS.test(q)) return null;
  const words = q
    .normalize('NFC')
    .split(SEPARATORS)
    .filter((w) => w.length > 0)
    .slice(0, MAX_WORDS)
    .map((w) => w.slice(0, 50));
  if (words.length === 0) return null;
  return `${words.join(' & ')}:*`;
}

/** The forms of a text query, OR-ed by the database (tissu_search_query); at least one is set. */
export interface SearchText {
  /** What the person typed, for websearch_to_tsquery; null when `prefix` finds all it would. */
  websearch: string | null;
  /** The prefix form (see prefixQuery), or null. */
  prefix: string | null;
}

/**
 * Sends one form when one is enough: each word's stem as a prefix matches whatever the stem
 * alone does, so the plain form only adds duplicate terms, which make the planner overestimate
 * the matches and skip the index. Both are kept when the parser may read the text differently.
 */
export function searchText(q: string): SearchText {
  const prefix = prefixQuery(q);
  return { websearch: prefix !== null && PLAIN_WORDS.test(q) ? null : q, prefix };
}
