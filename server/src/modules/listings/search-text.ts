const MAX_WORDS = 8;

/** websearch syntax the person may have used on purpose: "phrases", -exclusions, "or". */
const OPERATORS = /"|(^|\s)-|(^|\s)or(\s|$)/i;

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
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, MAX_WORDS)
    .map((w) => w.slice(0, 50));
  if (words.length === 0) return null;
  return `${words.join(' & ')}:*`;
}
