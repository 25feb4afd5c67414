/**
 * The web's client for the Tissu API: openapi-fetch typed by the contract (./schema.d.ts, generated
 * from server/openapi.json by `pnpm openapi`), so a path, parameter, body or answer field that the
 * server renames is a compile error here. It runs on the web server only: the access token comes
 * from the web's own httpOnly cookie and never reaches browser JavaScript.
 *
 * What is written by hand is the transport around it: the headers each call carries, the timeout,
 * and any answer but 2xx (or no answer) thrown as an ApiError, so a call either gives the route's
 * success body or throws.
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { env } from '$env/dynamic/private';
import { ErrorBody } from '@tissu/shared';
import { ApiError } from '../api-error';
import type { components, paths } from './schema';

export type Api = Client<paths>;
/** The contract's named schemas: `Schemas['Booking']` is a booking as the API answers it. */
export type Schemas = components['schemas'];

const DEFAULT_API_URL = 'http://127.0.0.1:4000';
const TIMEOUT_MS = 15_000;

/**
 * These routes know the person by what the call carries (a password, a link's token, the refresh
 * token), so no access token goes with them: a stale one would have the call refused.
 */
const WITHOUT_ACCESS_TOKEN: ReadonlySet<keyof paths> = new Set<keyof paths>([
  '/auth/sign-up',
  '/auth/sign-in',
  '/auth/refresh',
  '/auth/verify-email',
  '/auth/password-reset',
  '/auth/password-reset/confirm',
]);

export interface ApiOptions {
  /** Read at each call, so a token refreshed earlier in the request is used. */
  accessToken: () => string | undefined;
  locale: string;
  /** The browser's address, for the API's rate limits and logs. */
  clientAddress?: string;
  /** The browser's User-Agent, so the account page can name the devices signed in. */
  userAgent?: string;
}

function requestHeaders(options: ApiOptions): Middleware {
  return {
    onRequest({ request, schemaPath }) {
      request.headers.set('Accept', 'application/json');
      request.headers.set('Accept-Language', options.locale);
      if (options.clientAddress) request.headers.set('X-Forwarded-For', options.clientAddress);
      if (options.userAgent) request.headers.set('User-Agent', options.userAgent.slice(0, 500));
      const token = WITHOUT_ACCESS_TOKEN.has(schemaPath as keyof paths) ? undefined : options.accessToken();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  };
}

/** What the API said no with (`{ error: { code, message, fields? } }`), or that it did not answer. */
const apiErrors: Middleware = {
  async onResponse({ response }) {
    if (response.ok) return undefined;
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const parsed = ErrorBody.safeParse(body);
    if (parsed.success) {
      const { code, message, fields } = parsed.data.error;
      throw new ApiError(response.status, code, message, fields);
    }
    throw new ApiError(response.status, 'http_error', response.statusText || 'Request failed');
  },
  onError({ request, error }) {
    // A calendar feed's address is its credential: never written to the log.
    const path = new URL(request.url).pathname.replace(/^\/calendar-feeds\/[^/]+/, '/calendar-feeds/[redacted]');
    console.error(`[api] ${request.method} ${path} unreachable`, error);
    return new ApiError(503, 'api_unreachable', 'The API could not be reached');
  },
};

/** Query values left empty by a form are left out, as if not given. */
function querySerializer(query: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  return search.toString();
}

export function createApi(options: ApiOptions): Api {
  const api = createClient<paths>({
    baseUrl: (env.API_URL || DEFAULT_API_URL).replace(/\/+$/, ''),
    querySerializer,
    fetch: (request) => fetch(request, { signal: AbortSignal.timeout(TIMEOUT_MS) }),
  });
  api.use(requestHeaders(options), apiErrors);
  return api;
}

/**
 * The success body of a call. The client has already thrown an ApiError for any other answer,
 * so what is left is the data, typed by the route's 2xx answer.
 */
export async function ok<T>(call: Promise<{ data?: T; response: Response }>): Promise<T> {
  const { data } = await call;
  return data as T;
}
