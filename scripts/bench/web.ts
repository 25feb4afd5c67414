/**
 * The web's listing page: server render time (SvelteKit SSR, including its calls to the API) and
 * the JavaScript a browser downloads for it, gzipped, in French and in English; and every page's
 * JavaScript read from the build (web-js.ts). The whole stack runs on a scratch database
 * with the demo data; the web is built first (into web/build-bench, never web/build) so the
 * sizes are those of this checkout.
 *
 *   pnpm exec tsx scripts/bench/web.ts [--seconds 10] [--no-build]
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { startStack, type Stack } from '../stack.js';
import { repoRoot } from '../../server/src/plugins/env.js';
import { httpLoad, type Measured } from './measure.js';
import { benchServer, scratchDatabase, type BenchServer, type ScratchDb } from './scratch-db.js';
import { freePort } from '../free-port.js';
import { buildJs, jsFigures, type BuildJs, type Locale } from './web-js.js';

/** Where the bench builds and serves the web, away from the web/build that `pnpm start` serves. */
export const BENCH_WEB_BUILD = path.join(repoRoot, 'web', 'build-bench');
/** SvelteKit's working folder for that build (web/svelte.config.js puts it beside the build). */
const BENCH_WEB_OUTPUT = path.join(repoRoot, 'web', '.svelte-kit-build-bench', 'output');

export interface WebFigures {
  render: Measured;
  /** Sequential renders: one request at a time, so the latency is the render itself. */
  renderSequential: Measured;
  /** The listing page over HTTP, per language (the language cookie set for English). */
  listingJs: Record<Locale, { files: number; kb: number; rawKb: number }>;
  /** Every page, from the build. */
  build: BuildJs;
}


/**
 * Every script the page loads at start: the module preloads SvelteKit lists (in the Link header and
 * the HTML), the entry imports, and what those import statically. Dynamic imports of other routes'
 * code are not followed: a browser fetches them only when someone goes there.
 */
async function shippedJs(webUrl: string, pagePath: string, locale: Locale): Promise<{ files: number; kb: number; rawKb: number }> {
  const page = await fetch(webUrl + pagePath, { headers: locale === 'fr' ? {} : { cookie: `PARAGLIDE_LOCALE=${locale}` } });
  if (!page.ok) throw new Error(`${pagePath} (${locale}): HTTP ${page.status}`);
  const html = await page.text();
  const pending: string[] = [];
  const add = (ref: string, base: string) => pending.push(new URL(ref, base).href);
  for (const m of (page.headers.get('link') ?? '').matchAll(/<([^>]+\.js)>/g)) add(m[1]!, webUrl + pagePath);
  for (const m of html.matchAll(/(?:href|src)="([^"]+\.js)"/g)) add(m[1]!, webUrl + pagePath);
  for (const m of html.matchAll(/import\("([^"]+\.js)"\)/g)) add(m[1]!, webUrl + pagePath);
  const seen = new Map<string, Buffer>();
  while (pending.length > 0) {
    const u = pending.pop()!;
    if (seen.has(u)) continue;
    const body = Buffer.from(await (await fetch(u)).arrayBuffer());
    seen.set(u, body);
    // Static imports only: `import … from "./x.js"`, `import "./x.js"`, `export … from "./x.js"`.
    for (const m of body.toString('utf8').matchAll(/(?:\bfrom|\bimport)\s*["']([^"']+\.js)["']/g)) add(m[1]!, u);
  }
  let gzip = 0;
  let raw = 0;
  for (const body of seen.values()) {
    raw += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
  }
  return { files: seen.size, kb: gzip / 1024, rawKb: raw / 1024 };
}

/** The whole stack (API, web, Stripe emulator) with the demo data on a scratch database of `server`. */
export async function benchStack(server: BenchServer, opts: { build: boolean; dataDir: string }): Promise<{ stack: Stack; scratch: ScratchDb }> {
  const scratch = await scratchDatabase(server, { max: 2 });
  const [apiPort, webPort, stripePort] = await Promise.all([freePort(), freePort(), freePort()]);
  const stack = await startStack({
    env: {
      NODE_ENV: 'test', DATABASE_URL: scratch.url, STRIPE_API_URL: `http://127.0.0.1:${stripePort}`, LOG_LEVEL: 'warn',
      AUTH_RATE_LIMIT_PER_MINUTE: '100000', JOBS: 'off', DATA_DIR: path.join(process.cwd(), '.data', opts.dataDir),
    },
    pgDir: '',
    persistent: false,
    apiPort,
    webPort,
    // Its own build folder: rebuilding web/build under a running `pnpm start` took its web down.
    webBuildDir: BENCH_WEB_BUILD,
    buildWeb: opts.build,
    quiet: true,
  }).catch(async (e: unknown) => {
    await scratch.drop();
    throw e;
  });
  return { stack, scratch };
}

export async function benchWeb(server: BenchServer, opts: { seconds?: number; connections?: number; build?: boolean } = {}): Promise<WebFigures> {
  const { stack, scratch } = await benchStack(server, { build: opts.build ?? true, dataDir: 'bench-web' });
  try {
    const [listing] = await scratch.database.sql<{ id: string }[]>`SELECT id FROM listings WHERE status = 'active' ORDER BY created_at LIMIT 1`;
    const pagePath = `/listings/${listing!.id}`;
    const listingJs = { fr: await shippedJs(stack.webUrl, pagePath, 'fr'), en: await shippedJs(stack.webUrl, pagePath, 'en') };
    const seconds = opts.seconds ?? 10;
    const renderSequential = await httpLoad(stack.webUrl, [{ method: 'GET', path: pagePath }], Math.max(2, seconds / 2), 1);
    const render = await httpLoad(stack.webUrl, [{ method: 'GET', path: pagePath }], seconds, opts.connections ?? 10);
    return { render, renderSequential, listingJs, build: buildJs(BENCH_WEB_OUTPUT) };
  } finally {
    await stack.stop();
    await scratch.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const arg = (name: string, d: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1] ?? d) || d;
  const server = await benchServer(process.env.DATABASE_URL || undefined);
  try {
    const w = await benchWeb(server, { seconds: arg('seconds', 10), build: !process.argv.includes('--no-build') });
    console.log(`listing page render, one at a time: p50 ${w.renderSequential.p50.toFixed(1)} ms, p95 ${w.renderSequential.p95.toFixed(1)} ms`);
    console.log(`listing page under load: ${w.render.rps.toFixed(0)} req/s, p50 ${w.render.p50.toFixed(1)} ms, p99 ${w.render.p99.toFixed(1)} ms, ${w.render.failures} failed`);
    for (const locale of ['fr', 'en'] as const) {
      const js = w.listingJs[locale];
      console.log(`listing page JavaScript (${locale}): ${js.files} files, ${js.kb.toFixed(1)} KB gzipped (${js.rawKb.toFixed(1)} KB raw)`);
    }
    for (const note of jsFigures(w.listingJs, w.build).notes) console.log(note);
  } finally {
    await server.stop();
  }
}
