/**
 * The web's typed client for the Tissu API. It runs on the web server only: the access token
 * comes from the web's own httpOnly cookie and never reaches browser JavaScript.
 */
import { env } from '$env/dynamic/private';
import {
  AuthResult,
  Coop,
  CoopList,
  CoopMemberList,
  ErrorBody,
  InvitationPreview,
  Listing,
  ListingList,
  SearchResult,
  Taxonomy,
  User,
  Waiting,
  type CoopProfileBody,
  type CreateListingBody,
  type UpdateListingBody,
} from '@tissu/shared';
import { z } from 'zod';
import { bookingEndpoints, paymentEndpoints, type Http } from './api-endpoints';
import { stewardPatronageEndpoints } from './api-steward-patronage';
import { memberPatronageEndpoints } from './api-member-patronage';
import { ApiError } from './api-error';

const DEFAULT_API_URL = 'http://127.0.0.1:4000';
const TIMEOUT_MS = 15_000;

type QueryValue = string | number | boolean | undefined | null;
export type Query = Record<string, QueryValue>;

interface ClientOptions {
  /** Read at each call, so a token refreshed earlier in the request is used. */
  accessToken: () => string | undefined;
  locale: string;
  clientAddress?: string;
}

const Anything = z.unknown();

/** The development mailbox (GET /dev/mail): emails kept locally when no SMTP server is set. */
const Mailbox = z.object({
  items: z.array(
    z.object({
      id: z.string(), to: z.string(), subject: z.string(), text: z.string(), sentAt: z.string(),
      attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), content: z.string() })).default([]),
    }),
  ),
});

export function createApi(options: ClientOptions) {
  const baseUrl = (env.API_URL || DEFAULT_API_URL).replace(/\/+$/, '');

  async function request<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    schema: S,
    init: { query?: Query; body?: unknown; token?: string | null; text?: boolean; idempotencyKey?: string } = {},
  ): Promise<z.output<S>> {
    const url = new URL(baseUrl + path);
    for (const [key, value] of Object.entries(init.query ?? {})) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Accept-Language': options.locale,
    };
    if (options.clientAddress) headers['X-Forwarded-For'] = options.clientAddress;
    const token = init.token === null ? undefined : (init.token ?? options.accessToken());
    if (token) headers.Authorization = `Bearer ${token}`;
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    // A create form's key: the API creates one thing per key, however often the form is sent.
    if (init.idempotencyKey) headers['Idempotency-Key'] = init.idempotencyKey;

    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (cause) {
      console.error(`[api] ${method} ${path} unreachable`, cause);
      throw new ApiError(503, 'api_unreachable', 'The API could not be reached');
    }

    const text = await response.text();
    let json: unknown = undefined;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }

    if (!response.ok) {
      const parsed = ErrorBody.safeParse(json);
      if (parsed.success) {
        const { code, message, fields } = parsed.data.error;
        throw new ApiError(response.status, code, message, fields);
      }
      throw new ApiError(response.status, 'http_error', response.statusText || 'Request failed');
    }

    if (init.text) return schema.parse(text);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      console.error(`[api] ${method} ${path} answered an unexpected body`, parsed.error.issues);
      throw new ApiError(502, 'bad_response', 'The API answered something unexpected');
    }
    return parsed.data;
  }

  const get = <S extends z.ZodType>(path: string, schema: S, query?: Query) =>
    request('GET', path, schema, { query });
  const post = <S extends z.ZodType>(path: string, schema: S, body: unknown = {}, idempotencyKey?: string) =>
    request('POST', path, schema, { body, idempotencyKey });
  const patch = <S extends z.ZodType>(path: string, schema: S, body: unknown) =>
    request('PATCH', path, schema, { body });
  const put = <S extends z.ZodType>(path: string, schema: S, body: unknown) =>
    request('PUT', path, schema, { body });
  const del = (path: string) => request('DELETE', path, Anything);
  const id = encodeURIComponent;
  const http: Http = { get, post, put };
  const getText = (path: string, query?: Query) => request('GET', path, z.string(), { query, text: true });

  return {
    auth: {
      /** Answered the same whether or not the address has an account: the next step is in the email. */
      signUp: (body: { email: string; password: string; name: string; locale: 'fr' | 'en' }) =>
        request('POST', '/auth/sign-up', Anything, { body, token: null }),
      verifyEmail: (token: string) => request('POST', '/auth/verify-email', Anything, { body: { token }, token: null }),
      resendVerification: () => post('/auth/verify-email/resend', Anything),
      signIn: (body: { email: string; password: string }) =>
        request('POST', '/auth/sign-in', AuthResult, { body, token: null }),
      requestPasswordReset: (body: { email: string; locale?: 'fr' | 'en' }) =>
        request('POST', '/auth/password-reset', Anything, { body, token: null }),
      resetPassword: (body: { token: string; password: string }) =>
        request('POST', '/auth/password-reset/confirm', Anything, { body, token: null }),
      refresh: (refreshToken: string) =>
        request('POST', '/auth/refresh', AuthResult, { body: { refreshToken }, token: null }),
      signOut: (refreshToken?: string) => post('/auth/sign-out', Anything, { refreshToken }),
    },
    me: {
      get: () => get('/me', User),
      waiting: () => get('/me/waiting', Waiting),
      update: (body: { name?: string; locale?: 'fr' | 'en' }) => patch('/me', User, body),
    },
    taxonomy: () => get('/taxonomy', Taxonomy),
    devMailbox: () => get('/dev/mail', Mailbox),
    coops: {
      list: (status?: 'pending' | 'approved' | 'rejected') => get('/coops', CoopList, { status }),
      get: (idOrSlug: string) => get(`/coops/${id(idOrSlug)}`, Coop),
      apply: (body: CoopProfileBody, idempotencyKey?: string) => post('/coops', Coop, body, idempotencyKey),
      update: (coopId: string, body: Partial<CoopProfileBody>) => patch(`/coops/${id(coopId)}`, Coop, body),
      approve: (coopId: string) => post(`/coops/${id(coopId)}/approve`, Coop),
      reject: (coopId: string, reason: string) => post(`/coops/${id(coopId)}/reject`, Coop, { reason }),
      members: (coopId: string) => get(`/coops/${id(coopId)}/members`, CoopMemberList),
      invite: (coopId: string, body: { email: string; role: 'admin' | 'worker' }, idempotencyKey?: string) =>
        post(`/coops/${id(coopId)}/invitations`, Anything, body, idempotencyKey),
      revokeInvitation: (coopId: string, invitationId: string) =>
        del(`/coops/${id(coopId)}/invitations/${id(invitationId)}`),
      removeMember: (coopId: string, userId: string) => del(`/coops/${id(coopId)}/members/${id(userId)}`),
      listings: (coopId: string, status?: 'active' | 'paused' | 'archived') =>
        get(`/coops/${id(coopId)}/listings`, ListingList, { status }),
      createListing: (coopId: string, body: CreateListingBody, idempotencyKey?: string) =>
        post(`/coops/${id(coopId)}/listings`, Listing, body, idempotencyKey),
    },
    listings: {
      search: (query: Query) => get('/listings', SearchResult, query),
      get: (listingId: string) => get(`/listings/${id(listingId)}`, Listing),
      update: (listingId: string, body: UpdateListingBody) => patch(`/listings/${id(listingId)}`, Listing, body),
    },
    invitations: {
      get: (token: string) => get(`/invitations/${id(token)}`, InvitationPreview),
      accept: (token: string) => post(`/invitations/${id(token)}/accept`, User),
    },
    ...bookingEndpoints(http),
    ...paymentEndpoints(http),
    steward: stewardPatronageEndpoints({ ...http, patch, getText }),
    ...memberPatronageEndpoints({ ...http, getText }),
  };
}

export type Api = ReturnType<typeof createApi>;
