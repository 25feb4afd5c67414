/**
 * SvelteKit resolves routes on the server (svelte.config.js: the browser is not sent the list of
 * every route). Following a link to a path not seen yet, the page imports `<path>/__route.js`,
 * SvelteKit's answer naming the code of that route's layouts and page (and its stylesheets).
 * That answer names the French files; an English page must load the English ones
 * (`_app/immutable/en/`, web/vite/locale-bundles.ts), or its next page would write French words
 * (and start a second copy of the French framework). SvelteKit writes the answer before our hooks
 * run, so the web's process points it at the reader's language here, from the same cookie the
 * hooks read (hooks.server.ts: Paraglide's cookie, else French).
 */

const ROUTE_SUFFIX = '/__route.js';
const LOCALE_COOKIE = /(?:^|;\s*)PARAGLIDE_LOCALE=([^;]*)/;

/** @param {string} pathname */
export const isRouteResolution = (pathname) => pathname.endsWith(ROUTE_SUFFIX);

/**
 * The reader's language, as Paraglide finds it (a cookie naming a language we have, else French).
 * @param {string | undefined} cookieHeader
 * @returns {'fr' | 'en'}
 */
export function localeOf(cookieHeader) {
  const value = cookieHeader?.match(LOCALE_COOKIE)?.[1]?.trim();
  return value === 'en' ? 'en' : 'fr';
}

/** A single-quoted path into the built files: `'../../_app/immutable/nodes/25.js'`, `'/_app/immutable/assets/25.css'`. */
const FILE_PATH = /'((?:\.{1,2}\/|\/)*)_app\/immutable\//g;
const PARAMS = '; export const params = ';

/**
 * SvelteKit's route answer with its files in `locale`'s set. Only the route (the imports of its
 * code and its stylesheets, all single-quoted); the path's parameters after it stay as sent.
 * @param {string} body
 * @param {'fr' | 'en'} locale
 */
export function routeInLocale(body, locale) {
  if (locale === 'fr') return body;
  const cut = body.indexOf(PARAMS);
  const route = cut < 0 ? body : body.slice(0, cut);
  return route.replace(FILE_PATH, (_, prefix) => `'${prefix}_app/immutable/${locale}/`) + (cut < 0 ? '' : body.slice(cut));
}

/**
 * Lets `handler` answer `req` on `res`, the route answer pointed at the reader's language. The
 * answer is small: it is held whole, then sent with its new length.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
export function answerRouteInLocale(req, res) {
  // The answer differs by the cookie: no cache may give one reader's to another.
  res.setHeader('Vary', 'Cookie');
  const locale = localeOf(req.headers.cookie);
  if (locale === 'fr') return;
  /** @type {Buffer[]} */
  const chunks = [];
  /** @type {unknown[] | null} */
  let head = null;
  const writeHead = res.writeHead.bind(res);
  const end = res.end.bind(res);
  /** @param {unknown} chunk @param {unknown} encoding */
  const keep = (chunk, encoding) => {
    if (chunk == null || typeof chunk === 'function') return;
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, /** @type {BufferEncoding} */ (typeof encoding === 'string' ? encoding : 'utf8')) : Buffer.from(/** @type {Uint8Array} */ (chunk)));
  };
  // @ts-expect-error: held until the end, so the length can change
  res.writeHead = (...args) => {
    head = args;
    return res;
  };
  // @ts-expect-error: same signature, nothing sent yet
  res.write = (chunk, encoding, callback) => {
    keep(chunk, encoding);
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') done();
    return true;
  };
  // @ts-expect-error: same signature
  res.end = (chunk, encoding, callback) => {
    keep(chunk, encoding);
    const body = Buffer.from(routeInLocale(Buffer.concat(chunks).toString('utf8'), locale));
    if (!res.headersSent) {
      res.setHeader('Content-Length', body.length);
      if (head) writeHead(.../** @type {[number]} */ (head));
    }
    const done = typeof chunk === 'function' ? chunk : typeof encoding === 'function' ? encoding : callback;
    return end(body, typeof done === 'function' ? done : undefined);
  };
}
