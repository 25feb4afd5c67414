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
const RUNTIME_IMPORT = /import \{ getLocale, experimentalStaticLocale \} from '\.\.\/runtime\.js';\n?/;

/** A message module as Paraglide 2 writes it: imports, `const fr_x = …;`, `const en_x = …;`, a doc comment, `export const x = …`. */
function parts(code: string) {
  const name = code.match(/\nexport const (\w+) = /)?.[1];
  if (!name || !RUNTIME_IMPORT.test(code)) return null;
  const fr = code.indexOf(`\nconst fr_${name} = `);
  const en = code.indexOf(`\nconst en_${name} = `);
  const doc = code.indexOf('\n/**', en);
  const wrapper = code.indexOf(`\nexport const ${name} = `);
  if (!(fr > 0 && fr < en && en < doc && doc < wrapper)) return null;
  const expression = (from: number, to: number, prefix: string) => code.slice(from + prefix.length, to).trim().replace(/;$/, '');
  return {
    name,
    head: code.slice(0, fr).replace(RUNTIME_IMPORT, ''),
    fr: expression(fr, en, `\nconst fr_${name} = `),
    en: expression(en, doc, `\nconst en_${name} = `),
  };
}

export function clientMessages(): Plugin {
  return {
    name: 'tissu-client-messages',
    apply: 'build',
    enforce: 'post',
    transform(code, id) {
      if (this.environment?.config.consumer !== 'client' || !MESSAGE.test(id)) return null;
      const p = parts(code);
      if (!p) return this.error(`${id}: not the message module Paraglide used to compile (fr_/en_ functions, then the exported wrapper)`);
      return { code: `${p.head}\nexport const ${p.name} = document.documentElement.lang === 'en'\n  ? ${p.en}\n  : ${p.fr};\n`, map: null };
    },
  };
}
