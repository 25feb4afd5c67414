/**
 * The browser files come in one set per language (web/vite/locale-bundles.ts): French under
 * `_app/immutable/`, English under `_app/immutable/en/`, each carrying only its own words. A page
 * must load the set of its language, or hydration would write the other language over it, so the
 * English pages' references to `_app/immutable/` are pointed at the English set: the stylesheet and
 * module-preload `<link>`s, the `import("…")` of SvelteKit's start script, and the `Link` header.
 * Only those places: a text someone wrote that happens to read `_app/immutable/` is left alone.
 */
export type Locale = 'fr' | 'en';

const IN_LINK_TAG = /(<link\b[^>]*?\bhref=")([^"]*?)_app\/immutable\//g;
const SCRIPT = /<script\b[^>]*>[\s\S]*?<\/script>/g;
const IN_IMPORT = /(\bimport\(")([^"]*?)_app\/immutable\//g;
const IN_LINK_HEADER = /<([^>]*?)_app\/immutable\//g;

const folder = (locale: Locale) => `_app/immutable/${locale}/`;

export function localeAssetsHtml(html: string, locale: Locale): string {
  if (locale === 'fr') return html;
  return html
    .replace(IN_LINK_TAG, (_, head: string, prefix: string) => `${head}${prefix}${folder(locale)}`)
    .replace(SCRIPT, (script) => script.replace(IN_IMPORT, (_, head: string, prefix: string) => `${head}${prefix}${folder(locale)}`));
}

export function localeAssetsLinkHeader(value: string, locale: Locale): string {
  if (locale === 'fr') return value;
  return value.replace(IN_LINK_HEADER, (_, prefix: string) => `<${prefix}${folder(locale)}`);
}
