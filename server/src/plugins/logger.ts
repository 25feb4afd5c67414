import type { FastifyRequest } from 'fastify';
import type { Config } from './env.js';

/** Path segments that are secrets: an invitation link's token, a calendar feed's address. */
const SECRET_IN_PATH = /^(\/invitations\/|\/calendar-feeds\/)[^/?#]+/;

/** A request's address as it may be logged: secrets in the path or query replaced. */
export function loggableUrl(url: string): string {
  const [path = '', query] = url.split('?', 2);
  const masked = path.replace(SECRET_IN_PATH, '$1[redacted]');
  if (query === undefined) return masked;
  const params = new URLSearchParams(query);
  for (const key of [...params.keys()]) if (/token|secret|password|key/i.test(key)) params.set(key, '[redacted]');
  return `${masked}?${params.toString()}`;
}

/**
 * pino settings for the API: JSON lines with the request id; no credential ever reaches a log
 * line (headers that carry them are redacted, tokens in addresses masked, bodies never logged).
 */
export function loggerOptions(config: Pick<Config, 'logLevel'>, stream?: { write(line: string): void }) {
  return {
    level: config.logLevel,
    ...(stream ? { stream } : {}),
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["stripe-signature"]', 'res.headers["set-cookie"]'],
      censor: '[redacted]',
    },
    serializers: {
      req(req: FastifyRequest) {
        return { method: req.method, url: loggableUrl(req.url), host: req.host, remoteAddress: req.ip };
      },
    },
  };
}
