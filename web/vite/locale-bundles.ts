import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { transformWithEsbuild, type Plugin } from 'vite';

/**
 * One set of browser files per language. In the client build each message is
 * `document.documentElement.lang === 'en' ? en_x : fr_x` (client-messages.ts) and `$lib/locale`
 * reads the same attribute, so once the build is written each file is minified again twice with
 * that expression fixed: French in place (`_app/immutable/...`), English beside it
 * (`_app/immutable/en/...`, the same tree, so the files' relative imports stay inside it). Each
 * language's files then carry only its own words. The server points English pages at the English
 * files (src/lib/server/locale-assets.ts); a page and its scripts always come in one language,
 * since switching language is a new page (/lang).
 *
 * Every other file of `_app/immutable` (stylesheets) is copied as is, so the English tree is
 * complete. Client build only.
 */
export const LOCALES = ['fr', 'en'] as const;
export const BASE_LOCALE = 'fr';
const LOCALE_EXPRESSION = 'document.documentElement.lang';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

export function localeBundles(): Plugin {
  return {
    name: 'tissu-locale-bundles',
    apply: 'build',
    async writeBundle(options) {
      const config = this.environment?.config;
      if (config?.consumer !== 'client' || !options.dir) return;
      const immutable = path.join(options.dir, '_app', 'immutable');
      const others = LOCALES.filter((l) => l !== BASE_LOCALE).map((l) => path.join(immutable, l) + path.sep);
      const files = (await filesUnder(immutable)).filter((f) => !others.some((dir) => f.startsWith(dir)));
      const target = config.build.target === false ? undefined : config.build.target;
      await Promise.all(
        files.map(async (file) => {
          const relative = path.relative(immutable, file);
          const copies = LOCALES.map((locale) => ({
            locale,
            to: locale === BASE_LOCALE ? file : path.join(immutable, locale, relative),
          }));
          for (const c of copies) await mkdir(path.dirname(c.to), { recursive: true });
          if (!file.endsWith('.js')) {
            await Promise.all(copies.filter((c) => c.to !== file).map((c) => copyFile(file, c.to)));
            return;
          }
          const code = await readFile(file, 'utf8');
          const out = await Promise.all(
            copies.map((c) =>
              transformWithEsbuild(code, file, {
                define: { [LOCALE_EXPRESSION]: JSON.stringify(c.locale) },
                minify: true,
                treeShaking: true,
                format: 'esm',
                target,
                legalComments: 'none',
                sourcemap: false,
              }),
            ),
          );
          for (const [i, c] of copies.entries()) {
            if (out[i]!.code.includes(LOCALE_EXPRESSION)) this.error(`${relative}: ${LOCALE_EXPRESSION} is still read in the ${c.locale} file`);
            await writeFile(c.to, out[i]!.code);
          }
        }),
      );
    },
  };
}
