/**
 * Booking, review and payment calls of the typed API client (split from api.ts, which holds the
 * transport). Every answer is checked against the shared zod schema of the API contract.
 */
import {
  Booking,
  BookingList,
  CheckoutResult,
  Earnings,
  FeeSchedule,
  LedgerCheckResult,
  OnboardingLink,
  PaymentAccount,
  PaymentSummary,
  ReconciliationResult,
  Review,
  ReviewList,
  Schedule,
  SlotsResult,
  type BookingState,
  type CreateBookingBody,
  type ScheduleBody,
} from '@tissu/shared';
import type { z } from 'zod';
import type { Query } from './api';

export interface Http {
  get<S extends z.ZodType>(path: string, schema: S, query?: Query): Promise<z.output<S>>;
  post<S extends z.ZodType>(path: string, schema: S, body?: unknown, idempotencyKey?: string): Promise<z.output<S>>;
  put<S extends z.ZodType>(path: string, schema: S, body: unknown): Promise<z.output<S>>;
}

const id = encodeURIComponent;

export interface BookingListQuery {
  as: 'client' | 'coop';
  coopId?: string;
  scope?: 'upcoming' | 'past' | 'all';
  state?: BookingState;
}

export interface TaxSettings {
  gstRegistered: boolean;
  gstNumber: string | null;
  qstRegistered: boolean;
  qstNumber: string | null;
}

export function bookingEndpoints({ get, post, put }: Http) {
  const b = (bookingId: string, action = '') => `/bookings/${id(bookingId)}${action}`;
  return {
    schedules: {
      get: (listingId: string) => get(`/listings/${id(listingId)}/schedule`, Schedule),
      put: (listingId: string, body: ScheduleBody) => put(`/listings/${id(listingId)}/schedule`, Schedule, body),
      slots: (listingId: string, from: string, to: string) =>
        get(`/listings/${id(listingId)}/slots`, SlotsResult, { from, to }),
    },
    bookings: {
      create: (body: CreateBookingBody, idempotencyKey?: string) => post('/bookings', Booking, body, idempotencyKey),
      list: (q: BookingListQuery) => get('/bookings', BookingList, { ...q }),
      get: (bookingId: string) => get(b(bookingId), Booking),
      accept: (bookingId: string, acceptSolidarity?: boolean) =>
        post(b(bookingId, '/accept'), Booking, acceptSolidarity === undefined ? {} : { acceptSolidarity }),
      decline: (bookingId: string, reason: string) => post(b(bookingId, '/decline'), Booking, { reason }),
      cancel: (bookingId: string, reason?: string) => post(b(bookingId, '/cancel'), Booking, reason ? { reason } : {}),
      complete: (bookingId: string, hours: { userId: string; minutes: number }[], reason?: string) =>
        post(b(bookingId, '/complete'), Booking, { hours, reason }),
      noShow: (bookingId: string) => post(b(bookingId, '/no-show'), Booking, {}),
      assign: (bookingId: string, userIds: string[]) => put(b(bookingId, '/workers'), Booking, { userIds }),
      reschedule: (bookingId: string, startsAt: string) => post(b(bookingId, '/reschedule'), Booking, { startsAt }),
    },
    reviews: {
      create: (bookingId: string, body: { rating: number; body: string }) => post(b(bookingId, '/review'), Review, body),
      reply: (reviewId: string, reply: string) => post(`/reviews/${id(reviewId)}/reply`, Review, { reply }),
      ofListing: (listingId: string) => get(`/listings/${id(listingId)}/reviews`, ReviewList),
      ofCoop: (coopId: string) => get(`/coops/${id(coopId)}/reviews`, ReviewList),
    },
  };
}

export function paymentEndpoints({ get, post, put }: Http) {
  return {
    platform: {
      fee: () => get('/platform/fee', FeeSchedule),
      setFeeRate: (body: { rateBps: number; effectiveFrom: string; reason: string }, idempotencyKey?: string) =>
        post('/platform/fee-rates', FeeSchedule, body, idempotencyKey),
    },
    payments: {
      account: (coopId: string, refresh = false) =>
        get(`/coops/${id(coopId)}/payments/account`, PaymentAccount, { refresh: refresh ? '1' : undefined }),
      onboarding: (coopId: string) => post(`/coops/${id(coopId)}/payments/onboarding`, OnboardingLink),
      setTaxes: (coopId: string, body: TaxSettings) => put(`/coops/${id(coopId)}/payments/taxes`, PaymentAccount, body),
      earnings: (coopId: string, year?: number) => get(`/coops/${id(coopId)}/earnings`, Earnings, { year }),
      summary: (bookingId: string) => get(`/bookings/${id(bookingId)}/payment`, PaymentSummary),
      checkout: (bookingId: string) => post(`/bookings/${id(bookingId)}/checkout`, CheckoutResult),
      refund: (bookingId: string, body: { serviceCents: number; reason: string }) =>
        post(`/bookings/${id(bookingId)}/refunds`, PaymentSummary, body),
      ledgerCheck: () => get('/steward/ledger/check', LedgerCheckResult),
      reconciliation: (days?: number) => get('/steward/reconciliation', ReconciliationResult, { days }),
    },
  };
}
