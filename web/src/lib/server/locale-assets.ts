/**
 * The browser files come in one set per language (web/vite/locale-bundles.ts): French under
 * `_app/immutable/`, English under `_app/immutable/en/`, each carrying only its own words. A page
 * must load the set of its language, or hydration would write the other language over it, so the
 * English pages' references to `_app/immutable/` are pointed at the English set: the stylesheet and
 * module-preload `<link>`s, the `import("…")` of SvelteKit's start script, the `import('…')` of the
 * page's own code in the route SvelteKit writes beside it (server-side route resolution,
 * svelte.config.js), and the `Link` header. Only those places: a text someone wrote that happens to
 * read `_app/immutable/` is left alone (the page's data is serialized on one line, so it never has
 * the route's line shape). The routes a page goes to later come from web/server/locale-routes.js.
 */
export type Locale = 'fr' | 'en';

const IN_LINK_TAG = /(<link\b[^>]*?\bhref=")([^"]*?)_app\/immutable\//g;
const SCRIPT = /<script\b[^>]*>[\s\S]*?<\/script>/g;
const IN_IMPORT = /(\bimport\(")([^"]*?)_app\/immutable\//g;
/** A line of the route object: `\n\t\t…'25': () => import('../_app/immutable/nodes/25.js')`. */
const IN_ROUTE_NODE = /(\n\t*'\d+': \(\) => import\(')([^']*?)_app\/immutable\//g;
const IN_LINK_HEADER = /<([^>]*?)_app\/immutable\//g;

const folder = (locale: Locale) => `_app/immutable/${locale}/`;

export function localeAssetsHtml(html: string, locale: Locale): string {
  if (locale === 'fr') return html;
  return html
    .replace(IN_LINK_TAG, (_, head: string, prefix: string) => `${head}${prefix}${folder(locale)}`)
    .replace(SCRIPT, (script) =>
      script
        .replace(IN_IMPORT, (_, head: string, prefix: string) => `${head}${prefix}${folder(locale)}`)
        .replace(IN_ROUTE_NODE, (_, head: string, prefix: string) => `${head}${prefix}${folder(locale)}`),
    );
}

export function localeAssetsLinkHeader(value: string, locale: Locale): string {
  if (locale === 'fr') return value;
  return value.replace(IN_LINK_HEADER, (_, prefix: string) => `<${prefix}${folder(locale)}`);
}
