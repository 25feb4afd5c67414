import { isUuid } from '../../lib/ids.js';

/** What slugify can produce; anything else cannot name a co-op (and may not even be valid text for PostgreSQL). */
export const looksLikeSlug = (s: string) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(s) && s.length <= 120;

/**
 * "Coopérative de ménage Côte-des-Neiges" -> "cooperative-de-menage-cote-des-neiges". A name with
 * no Latin letters falls back to "coop"; a name that would read as a uuid is prefixed, because
 * GET /coops/:idOrSlug tells the two apart by shape.
 */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  if (!slug) return 'coop';
  return isUuid(slug) ? `coop-${slug}` : slug;
}

/** `base` if free, else the first free `base-2`, `base-3`, ... */
export function firstFreeSlug(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}
