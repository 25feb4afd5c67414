import type { Plugin } from 'vite';

/**
 * Paraglide compiles each message to a module holding its French and English functions and a
 * wrapper that asks the runtime for the locale at every call; the runtime brings its strategies
 * (cookie, URL, ...) to the browser. In the client build only, each message module instead exports
 * the function of the page's language, read once from `<html lang>` (which the server sets from
 * the same cookie, see hooks.server.ts): the browser never switches language without a new page.
 * The server keeps Paraglide's own modules.
 *
 * That same expression is what locale-bundles.ts fixes per language once the build is written, so
 * each language's files carry only its own words.
 */
const MESSAGE = /\/src\/lib\/paraglide\/messages\/(?!_index)\w+\.js$/;
const WRAPPER = /export const (\w+) = [\s\S]*$/;
const RUNTIME_IMPORT = /import \{ getLocale, experimentalStaticLocale \} from '\.\.\/runtime\.js';/;

export function clientMessages(): Plugin {
  return {
    name: 'tissu-client-messages',
    apply: 'build',
    enforce: 'post',
    transform(code, id) {
      if (this.environment?.config.consumer !== 'client' || !MESSAGE.test(id)) return null;
      const wrapper = code.match(WRAPPER);
      const name = wrapper?.[1];
      if (!wrapper || !name || !code.includes(`const fr_${name} =`) || !code.includes(`const en_${name} =`) || !RUNTIME_IMPORT.test(code)) {
        this.error(`${id}: not the message module Paraglide used to compile (fr_/en_ functions, then the exported wrapper)`);
      }
      const body = code.slice(0, wrapper.index).replace(RUNTIME_IMPORT, '');
      return { code: `${body}\nexport const ${name} = document.documentElement.lang === 'en' ? en_${name} : fr_${name};\n`, map: null };
    },
  };
}
