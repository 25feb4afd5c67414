/**
 * The web's process: adapter-node's request handler wrapped in our own HTTP server, so that
 * 1. every answer carries the security headers, including the `/_app` assets and static files
 *    that adapter-node serves before SvelteKit's hooks run;
 * 2. a built file that disappears while we serve (a rebuild in the same folder) is a 404 or one
 *    broken answer, never a crash: adapter-node's static server pipes a file stream with no error
 *    handler, so a vanished file ended the whole process;
 * 3. SvelteKit's answer to which route a link leads to names the files of the reader's language
 *    (locale-routes.js).
 *
 *   node web/server/index.js            serves web/build
 *   WEB_BUILD_DIR=/some/build node ...  serves another build (the bench builds into its own)
 *
 * PORT, HOST, ORIGIN, PROTOCOL_HEADER... are adapter-node's variables and mean the same here.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { securityHeaders, servedOverHttps } from './headers.js';
import { answerRouteInLocale, isRouteResolution } from './locale-routes.js';

const buildDir = path.resolve(process.env.WEB_BUILD_DIR || fileURLToPath(new URL('../build', import.meta.url)));
if (!existsSync(path.join(buildDir, 'handler.js'))) {
  console.error(`[web] no build in ${buildDir}: run 'pnpm --filter @tissu/web build' first`);
  process.exit(1);
}
const clientDir = path.join(buildDir, 'client');
const { handler } = await import(pathToFileURL(path.join(buildDir, 'handler.js')).href);

/**
 * `/_app/...` is only ever built files; one that is no longer on disk is a 404, not a stream error.
 * @param {string} pathname
 */
async function vanishedAsset(pathname) {
  if (!pathname.startsWith('/_app/')) return false;
  let file;
  try {
    file = path.join(clientDir, decodeURIComponent(pathname));
  } catch {
    return false;
  }
  if (!file.startsWith(clientDir + path.sep)) return false;
  return stat(file).then(
    () => false,
    () => true,
  );
}

const server = http.createServer(async (req, res) => {
  for (const [name, value] of Object.entries(securityHeaders(servedOverHttps(req, process.env)))) res.setHeader(name, value);
  // The static server pipes a file into the answer; should the file be gone by then, end this
  // one answer (its headers are already sent) and keep serving everyone else.
  res.on('pipe', (source) => {
    source.on('error', (error) => {
      console.error(`[web] ${req.method} ${req.url}: ${error.message}`);
      res.destroy();
    });
  });
  const pathname = (req.url ?? '/').split('?')[0] ?? '/';
  if ((req.method === 'GET' || req.method === 'HEAD') && (await vanishedAsset(pathname))) {
    res.statusCode = 404;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end('Not Found');
    return;
  }
  if (req.method === 'GET' && isRouteResolution(pathname)) answerRouteInLocale(req, res);
  handler(req, res, () => {
    res.statusCode = 404;
    res.end('Not Found');
  });
});

const host = process.env.HOST || '0.0.0.0';
const port = Number(process.env.PORT || 3000);
server.listen(port, host, () => console.log(`[web] listening on http://${host}:${port} (build: ${buildDir})`));

function shutdown() {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  // Open keep-alive connections and slow answers get a few seconds, then the process goes anyway.
  setTimeout(() => process.exit(0), 5_000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
