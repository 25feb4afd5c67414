import { buildJs } from './bench/web-js.js';
const b = buildJs(process.argv[2]!);
for (const p of b.pages.filter((p) => /listings\/\[id\]$|^\/search|^\/$|coops\/\[slug\]|edit$|dashboard\/coops\/\[id\]$/.test(p.route) || b.pages.indexOf(p) < 2)) console.log(p.route, p.kb.fr.toFixed(1), p.kb.en.toFixed(1));
