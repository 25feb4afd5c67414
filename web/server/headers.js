/**
 * Headers every answer of the web carries: pages, `/_app` assets, static files and errors alike.
 * SvelteKit sends the Content-Security-Policy of pages itself; these are the rest.
 */
export const SECURITY_HEADERS = {
  // A file is what its Content-Type says: no guessing a script out of an upload or a text file.
  'X-Content-Type-Options': 'nosniff',
  // Other sites learn that someone came from Tissu, never which booking or search page.
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  // Tissu uses none of these; a script that slips in cannot ask for them either.
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
};

/** Two years, subdomains included: once a browser has seen Tissu over https, it never tries http. */
export const HSTS = 'max-age=63072000; includeSubDomains';

/**
 * Whether this request reached us over https: directly, or through a proxy that says so in the
 * header named by adapter-node's PROTOCOL_HEADER, or because ORIGIN (the public address) is https.
 * @param {import('node:http').IncomingMessage} req
 * @param {{ ORIGIN?: string, PROTOCOL_HEADER?: string }} env
 */
export function servedOverHttps(req, env) {
  if (/** @type {import('node:tls').TLSSocket} */ (req.socket).encrypted) return true;
  if (env.ORIGIN?.startsWith('https:')) return true;
  const header = env.PROTOCOL_HEADER && req.headers[env.PROTOCOL_HEADER.toLowerCase()];
  return typeof header === 'string' && header.split(',')[0]?.trim() === 'https';
}

/**
 * @param {boolean} https
 * @returns {Record<string, string>}
 */
export function securityHeaders(https) {
  return https ? { ...SECURITY_HEADERS, 'Strict-Transport-Security': HSTS } : { ...SECURITY_HEADERS };
}
