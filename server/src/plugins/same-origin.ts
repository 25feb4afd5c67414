import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { forbidden } from '../errors.js';
import { ACCESS_COOKIE, REFRESH_COOKIE } from './auth.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/** Where a browser says the request comes from: its Origin, else its Referer; undefined if neither. */
function claimedOrigin(req: FastifyRequest): string | null | undefined {
  const { origin, referer } = req.headers;
  if (origin !== undefined) return originOf(origin);
  if (referer !== undefined) return originOf(referer);
  return undefined;
}

/**
 * A browser sends the API's cookies with any site's form or fetch, so a change carried by a cookie
 * must come from Tissu itself (the web, or a page of the API such as /docs): a request that says
 * it comes from elsewhere is refused (OWASP CSRF cheat sheet, "verifying origin with standard
 * headers"). A Bearer token is never sent by a browser on its own, and a request with neither
 * Origin nor Referer does not come from a web page (a script, curl), so neither is checked.
 */
export default fp<{ webOrigin: string }>(
  async (app, { webOrigin }) => {
    const web = originOf(webOrigin);
    app.addHook('onRequest', async (req) => {
      if (SAFE_METHODS.has(req.method)) return;
      if (req.headers.authorization?.startsWith('Bearer ')) return;
      if (!req.cookies[ACCESS_COOKIE] && !req.cookies[REFRESH_COOKIE]) return;
      const claimed = claimedOrigin(req);
      if (claimed === undefined) return;
      const own = originOf(`${req.protocol}://${req.host}`);
      if (claimed !== null && (claimed === web || claimed === own)) return;
      throw forbidden('This request comes from another site: send it from Tissu itself');
    });
  },
  { name: 'same-origin', dependencies: ['auth'] },
);
