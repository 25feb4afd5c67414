import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildJs, jsFigures } from './web-js.js';

/** A SvelteKit output folder in the shape the real one has: a server manifest, its nodes, the client files in both languages. */
function fakeOutput(): { output: string; size: (file: string) => number } {
  const output = mkdtempSync(path.join(tmpdir(), 'web-js-'));
  const files: Record<string, string> = {
    'entry/start.js': 'import "./app.js"; /* start */',
    'chunks/framework.js': 'x'.repeat(3000) + Math.random(),
    'nodes/0.js': 'layout'.repeat(50),
    'nodes/1.js': 'error page '.repeat(40),
    'nodes/2.js': 'home '.repeat(30),
    'nodes/3.js': 'listing page '.repeat(80),
    'chunks/booking.js': 'booking form '.repeat(90),
  };
  const written = new Map<string, string>();
  for (const [file, text] of Object.entries(files)) {
    // The English file: other words, shorter.
    for (const [dir, body] of [['', text], ['en/', text.replace(/ /g, '_').slice(0, Math.floor(text.length * 0.9))]] as const) {
      const full = path.join(output, 'client', '_app', 'immutable', dir, file);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, body);
      written.set(dir + file, body);
    }
  }
  const f = (file: string) => `"_app/immutable/${file}"`;
  mkdirSync(path.join(output, 'server', 'nodes'), { recursive: true });
  writeFileSync(
    path.join(output, 'server', 'manifest.js'),
    `export const manifest = (() => { return {
	_: {
		client: {start:${f('entry/start.js')},app:"_app/immutable/entry/app.js",imports:[${f('entry/start.js')},${f('chunks/framework.js')}],stylesheets:[],fonts:[],uses_env_dynamic_public:false},
		routes: [
			{
				id: "/",
				pattern: /^\\/$/,
				params: [],
				page: { layouts: [0,], errors: [1,], leaf: 2 },
				endpoint: null
			},
			{
				id: "/lang",
				pattern: /^\\/lang\\/?$/,
				params: [],
				page: null,
				endpoint: __memo(() => import('./entries/endpoints/lang/_server.ts.js'))
			},
			{
				id: "/listings/[id]",
				pattern: /^\\/listings\\/([^/]+?)\\/?$/,
				params: [{"name":"id","optional":false,"rest":false,"chained":false}],
				page: { layouts: [0,], errors: [1,], leaf: 3 },
				endpoint: null
			}
		]
	}
}; })();`,
  );
  const node = (n: number, imports: string[]) =>
    writeFileSync(path.join(output, 'server', 'nodes', `${n}.js`), `export const index = ${n};\nexport const imports = [${imports.map(f).join(',')}];\nexport const stylesheets = [];\n`);
  node(0, ['nodes/0.js', 'chunks/framework.js']);
  node(1, ['nodes/1.js', 'chunks/framework.js']);
  node(2, ['nodes/2.js', 'chunks/framework.js']);
  node(3, ['nodes/3.js', 'chunks/framework.js', 'chunks/booking.js']);
  const size = (file: string) => gzipSync(written.get(file)!, { level: 9 }).length;
  return { output, size };
}

describe('every page’s JavaScript, from the build', () => {
  it('adds up the start scripts, the layouts and the page with what they import, per language, heaviest first', () => {
    const { output, size } = fakeOutput();
    const { pages, errorPageKb } = buildJs(output);
    expect(pages.map((p) => p.route)).toEqual(['/listings/[id]', '/']);
    const listing = ['entry/start.js', 'chunks/framework.js', 'nodes/0.js', 'nodes/3.js', 'chunks/booking.js'];
    expect(pages[0]!.files).toBe(5);
    expect(pages[0]!.kb.fr).toBeCloseTo(listing.reduce((s, f) => s + size(f), 0) / 1024, 6);
    expect(pages[0]!.kb.en).toBeCloseTo(listing.reduce((s, f) => s + size(`en/${f}`), 0) / 1024, 6);
    expect(errorPageKb).toBeCloseTo(size('nodes/1.js') / 1024, 6);

    const { figures, notes } = jsFigures({ fr: { kb: 59.9, files: 20 }, en: { kb: 60.2, files: 20 } }, { pages, errorPageKb });
    expect(figures.map((f) => [f.target?.text, f.target?.met])).toEqual([
      ['<= 60 KB', false], // the heavier language counts
      ['<= 80 KB, every page', true],
    ]);
    expect(figures[1]!.scenario).toContain('/listings/[id]');
    expect(notes[0]).toContain('/ ');
  });
});
