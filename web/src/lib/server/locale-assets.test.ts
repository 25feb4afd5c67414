import { describe, expect, it } from 'vitest';
import { localeAssetsHtml, localeAssetsLinkHeader } from './locale-assets';

// The shape SvelteKit renders (relative paths, a page two levels down).
const page = `<html lang="en"><head>
<link href="../_app/immutable/assets/0.css" rel="stylesheet">
<link href="../_app/immutable/entry/start.X.js" rel="modulepreload">
<link rel="icon" href="../favicon.svg" type="image/svg+xml" />
</head><body><div class="app"><p>See "../_app/immutable/x.js" and import("../_app/immutable/y.js")</p>
<script nonce="abc">
  { __sveltekit_1 = { base: new URL("..", location).pathname.slice(0, -1) };
    Promise.all([import("../_app/immutable/entry/start.X.js"), import("../_app/immutable/entry/app.Y.js")]).then(([kit, app]) => {
      kit.start(app, element, { data: [{ type: "data", data: { text: "import(\\"../_app/immutable/z.js\\") '1': () => import('../_app/immutable/w.js')" } }],
        server_route: {
							id: "/listings/[id]",
							nodes: {
								'0': () => import('../_app/immutable/nodes/0.A.js'),
								'25': () => import('../_app/immutable/nodes/25.B.js')
							}
						} });
    });
  }
</script></div></body></html>`;

describe('English pages load the English scripts', () => {
  it('points the links and the start script at _app/immutable/en/, and nothing else', () => {
    const en = localeAssetsHtml(page, 'en');
    expect(en).toContain('<link href="../_app/immutable/en/assets/0.css" rel="stylesheet">');
    expect(en).toContain('<link href="../_app/immutable/en/entry/start.X.js" rel="modulepreload">');
    expect(en).toContain('import("../_app/immutable/en/entry/start.X.js"), import("../_app/immutable/en/entry/app.Y.js")');
    // The page's own code, in the route SvelteKit writes beside the start script.
    expect(en).toContain("'0': () => import('../_app/immutable/en/nodes/0.A.js'),");
    expect(en).toContain("'25': () => import('../_app/immutable/en/nodes/25.B.js')");
    expect(en).toContain('href="../favicon.svg"');
    // What people wrote, in the page or in its data, stays as written.
    expect(en).toContain('<p>See "../_app/immutable/x.js" and import("../_app/immutable/y.js")</p>');
    expect(en).toContain(`text: "import(\\"../_app/immutable/z.js\\") '1': () => import('../_app/immutable/w.js')"`);
    expect(en.match(/_app\/immutable\/en\//g)).toHaveLength(6);
  });

  it('leaves French pages as they are', () => {
    expect(localeAssetsHtml(page, 'fr')).toBe(page);
  });

  it('points the Link header at the English files', () => {
    const header = '<../_app/immutable/assets/0.css>; rel="preload"; as="style"; nopush, <../_app/immutable/entry/start.X.js>; rel="modulepreload"; nopush';
    expect(localeAssetsLinkHeader(header, 'en')).toBe(
      '<../_app/immutable/en/assets/0.css>; rel="preload"; as="style"; nopush, <../_app/immutable/en/entry/start.X.js>; rel="modulepreload"; nopush',
    );
    expect(localeAssetsLinkHeader(header, 'fr')).toBe(header);
  });
});
