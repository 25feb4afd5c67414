/**
 * The JavaScript each page of the web makes a browser download on arrival, gzipped, for every
 * route and both languages, read from the build rather than by visiting pages (most need a
 * signed-in person and real ids). It counts what SvelteKit's server lists for a page, exactly what
 * it sends as module preloads: its start and app scripts with what they import, and the code of
 * every layout and of the page with what they import. The root error page, which SvelteKit's
 * start script also fetches on every page right after starting, is counted apart (`errorPageKb`).
 *
 * The English files sit under `_app/immutable/en/` (web/vite/locale-bundles.ts).
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { target, type Figure } from './table.js';

export type Locale = 'fr' | 'en';

export interface PageJs {
  route: string;
  files: number;
  /** KB gzipped (level 9), per language. */
  kb: Record<Locale, number>;
}

export interface BuildJs {
  pages: PageJs[];
  /** The root error page's files beyond the start scripts and root layout, fetched by SvelteKit's start script on every page (KB gzipped, French). */
  errorPageKb: number;
}

const IMMUTABLE = '_app/immutable/';

/** `output` is SvelteKit's output folder (web/.svelte-kit/output, or .svelte-kit-build-bench/output for the bench's build). */
export function buildJs(output: string): BuildJs {
  const manifest = readFileSync(path.join(output, 'server', 'manifest.js'), 'utf8');
  const entry = manifest.match(/client: \{[^}]*?imports:(\[[^\]]*\])/);
  if (!entry) throw new Error(`${output}/server/manifest.js: no client entry imports (has SvelteKit's manifest changed shape?)`);
  const startImports = JSON.parse(entry[1]!) as string[];
  const nodeImports = (n: number) => {
    const node = readFileSync(path.join(output, 'server', 'nodes', `${n}.js`), 'utf8').match(/export const imports = (\[.*\]);/);
    return node ? (JSON.parse(node[1]!) as string[]) : [];
  };
  const sizes = new Map<string, number>();
  const gz = (file: string) => {
    let size = sizes.get(file);
    if (size === undefined) {
      size = gzipSync(readFileSync(path.join(output, 'client', file)), { level: 9 }).length;
      sizes.set(file, size);
    }
    return size;
  };
  const inLocale = (file: string, locale: Locale) => {
    if (locale === 'fr') return file;
    const localized = file.replace(IMMUTABLE, `${IMMUTABLE}${locale}/`);
    if (!existsSync(path.join(output, 'client', localized))) throw new Error(`${localized}: no ${locale} build of ${file} (web/vite/locale-bundles.ts)`);
    return localized;
  };
  const kb = (files: Iterable<string>, locale: Locale) => [...files].reduce((sum, f) => sum + gz(inLocale(f, locale)), 0) / 1024;

  const pages: PageJs[] = [];
  const route = /id: "([^"]+)",[\s\S]*?page: (null|\{ layouts: \[([^\]]*)\], errors: \[[^\]]*\], leaf: (\d+) \})/g;
  for (const r of manifest.matchAll(route)) {
    if (r[2] === 'null') continue; // an endpoint
    const nodes = [...r[3]!.split(',').filter(Boolean).map(Number), Number(r[4])];
    const files = new Set(startImports);
    for (const n of nodes) for (const f of nodeImports(n)) files.add(f);
    pages.push({ route: r[1]!, files: files.size, kb: { fr: kb(files, 'fr'), en: kb(files, 'en') } });
  }
  if (pages.length === 0) throw new Error(`${output}/server/manifest.js: no pages found (has SvelteKit's manifest changed shape?)`);
  // Beyond what every page has already loaded (the start scripts and the root layout).
  const everywhere = new Set([...startImports, ...nodeImports(0)]);
  const errorPageKb = kb(nodeImports(1).filter((f) => !everywhere.has(f)), 'fr');
  pages.sort((a, b) => Math.max(b.kb.fr, b.kb.en) - Math.max(a.kb.fr, a.kb.en));
  return { pages, errorPageKb };
}

/** What a page weighs in its heavier language. */
const heavier = (p: PageJs) => Math.max(p.kb.fr, p.kb.en);

/**
 * The bench's rows (issue 11: the listing page at most 60 KB, no page over 80 KB) and a note with
 * every page. `listing` is the listing page as a browser gets it over HTTP, in each language.
 */
export function jsFigures(listing: Record<Locale, { kb: number; files: number }>, build: BuildJs): { figures: Figure[]; notes: string[] } {
  const listingKb = Math.max(listing.fr.kb, listing.en.kb);
  const heaviest = build.pages[0]!;
  const row = (scenario: string, t: Figure['target']): Figure => ({ scenario, via: 'web', p50: NaN, p95: NaN, target: t });
  return {
    figures: [
      row(
        `JavaScript of the listing page: ${listing.fr.kb.toFixed(1)} KB gzipped (English ${listing.en.kb.toFixed(1)}), ${listing.fr.files} files`,
        target('<= 60 KB', listingKb <= 60),
      ),
      row(
        `JavaScript of the heaviest page, ${heaviest.route}: ${heaviest.kb.fr.toFixed(1)} KB (English ${heaviest.kb.en.toFixed(1)})`,
        target('<= 80 KB, every page', heavier(heaviest) <= 80),
      ),
    ],
    notes: [
      `JavaScript per page on arrival, KB gzipped, French/English (from the build; the root error page SvelteKit fetches after starting adds ${build.errorPageKb.toFixed(1)} KB to each): ` +
        build.pages.map((p) => `${p.route} ${p.kb.fr.toFixed(1)}/${p.kb.en.toFixed(1)}`).join(', '),
    ],
  };
}
