import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

/**
 * How the browser's JavaScript is cut into files. Rollup's default makes one chunk per set of pages
 * that share code, so the framework every page loads came in a dozen pieces (Svelte's `each` here,
 * its attribute helpers there) and the header's words one file per message: each file repeats the
 * long import and export lists that tie the pieces together, and compresses alone. Two chunks fix
 * most of it, both loaded by every page anyway:
 *
 * - `framework`: Svelte's runtime and SvelteKit's client (and what they use), whole. A page gets a
 *   few Svelte helpers it does not use (transitions, `{#await}`...), far less than the splitting cost.
 * - `layout-text`: the messages of the root layout and the components beside it that it imports
 *   (header, footer, banner), found in their sources.
 *
 * Pages' own code and words stay where Rollup puts them. Client build only: the server's chunks
 * are untouched.
 */
const FRAMEWORK = /\/node_modules\/(svelte\/src|@sveltejs\/kit\/src\/(runtime|utils|exports)|devalue|clsx|esm-env)\//;
/** SvelteKit's client entry stays an entry (`start.js`), importing the framework chunk. */
const KIT_ENTRY = /\/@sveltejs\/kit\/src\/runtime\/client\/entry\.js$/;
const MESSAGE = /\/paraglide\/messages\/(\w+)\.js$/;

/** The messages (`m.name`) of the root layout and of the components it imports from beside it, recursively. */
function layoutMessages(routesDir: string): Set<string> {
  const messages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(path.join(routesDir, file), 'utf8');
    for (const x of source.matchAll(/\bm\.(\w+)/g)) messages.add(x[1]!);
    for (const x of source.matchAll(/from '\.\/([\w-]+\.svelte)'/g)) visit(x[1]!);
  };
  visit('+layout.svelte');
  return messages;
}

export function clientChunks(routesDir: string): Plugin {
  const layoutText = layoutMessages(routesDir);
  return {
    name: 'tissu-client-chunks',
    apply: 'build',
    outputOptions(options) {
      if (this.environment?.config.consumer !== 'client') return null;
      return {
        ...options,
        manualChunks(id) {
          if (FRAMEWORK.test(id) && !KIT_ENTRY.test(id)) return 'framework';
          const message = id.match(MESSAGE);
          if (message && layoutText.has(message[1]!)) return 'layout-text';
          return null;
        },
      };
    },
  };
}
