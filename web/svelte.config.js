import path from 'node:path';
import { fileURLToPath } from 'node:url';
import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

const webRoot = path.dirname(fileURLToPath(import.meta.url));

/**
 * WEB_BUILD_DIR builds somewhere else than web/build, with SvelteKit's own working folder beside
 * it: the bench builds into its own folder, so a `pnpm start` serving web/build is left alone.
 * Both stay inside web/: the built server imports the web's dependencies (zod) from web/node_modules.
 */
const buildDir = process.env.WEB_BUILD_DIR ? path.relative(webRoot, path.resolve(webRoot, process.env.WEB_BUILD_DIR)) : undefined;
if (buildDir !== undefined && (buildDir.startsWith('..') || path.isAbsolute(buildDir) || buildDir === '')) {
  throw new Error(`WEB_BUILD_DIR must be a folder inside web/ (got ${process.env.WEB_BUILD_DIR})`);
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // The server says which route a link leads to (asked once per path, while the link is hovered
    // or touched: data-sveltekit-preload-data in app.html), so every page's first script is not
    // also a list of all ~48 routes and the files of each (4 KB gzipped, issue 11). English pages
    // get the English files in that answer too (web/server/locale-routes.js).
    router: { resolution: 'server' },
    adapter: adapter({ out: buildDir ?? 'build' }),
    ...(buildDir ? { outDir: path.join(path.dirname(buildDir), `.svelte-kit-${path.basename(buildDir)}`) } : {}),
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self'],
        // SvelteKit's route announcer carries a style attribute; style elements stay 'self' only.
        'style-src-attr': ['unsafe-inline'],
        'img-src': ['self', 'data:'],
        'font-src': ['self'],
        'connect-src': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
        'base-uri': ['self'],
        'object-src': ['none'],
      },
    },
  },
};

export default config;
