import { expect } from 'vitest';
import { makeSteward, signUp, type SignedIn, type TestApp } from './test-app.js';
import { approvedCoop, bookingBody, hourFromNow, onboardCoop, publishListing, setSchedule } from './fixtures.js';

/** Shorthands for the payment tests: requests, SQL reads of the money tables, the ledger check. */
export function paymentsKit(t: TestApp) {
  const sql = t.database.sql;
  const req = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, who: SignedIn | null, payload?: object) =>
    t.app.inject({ method, url, headers: who?.auth ?? {}, ...(payload ? { payload } : {}) });

  const kit = {
    sql,
    get: (url: string, who: SignedIn | null) => req('GET', url, who),
    post: (url: string, who: SignedIn | null, payload: object = {}) => req('POST', url, who, payload),
    put: (url: string, who: SignedIn | null, payload: object) => req('PUT', url, who, payload),
    patch: (url: string, who: SignedIn | null, payload: object) => req('PATCH', url, who, payload),

    async setTaxes(admin: SignedIn, coopId: string, registered: boolean) {
      const res = await req('PUT', `/coops/${coopId}/payments/taxes`, admin, registered
        ? { gstRegistered: true, gstNumber: '123456789RT0001', qstRegistered: true, qstNumber: '1234567890TQ0001' }
        : { gstRegistered: false, qstRegistered: false });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    },

    async book(client: SignedIn, listingId: string, startsAt: string, over: Record<string, unknown> = {}) {
      const res = await req('POST', '/bookings', client, bookingBody(listingId, startsAt, over));
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; state: string; priceCents: number; startsAt: string };
    },

    async accept(admin: SignedIn, bookingId: string) {
      const res = await req('POST', `/bookings/${bookingId}/accept`, admin, {});
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    },

    async summary(who: SignedIn, bookingId: string) {
      const res = await req('GET', `/bookings/${bookingId}/payment`, who);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    },

    async state(bookingId: string): Promise<string> {
      const [row] = await sql`SELECT state FROM bookings WHERE id = ${bookingId}`;
      return row!.state;
    },

    /** The settled payment of a booking, as stored. */
    async payment(bookingId: string) {
      const [row] = await sql`SELECT * FROM payments WHERE booking_id = ${bookingId} AND status IN ('paid', 'partially_refunded', 'refunded')`;
      return row;
    },

    /**
     * Stripe's fee and the transfer id are read after the webhook answered; wait until every
     * settled payment has them, so the ledger holds the processor fee entries.
     */
    async chargeDetailsRecorded(timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const [row] = await sql`SELECT count(*)::int AS n FROM payments WHERE status IN ('paid', 'partially_refunded', 'refunded') AND (processor_fee_cents IS NULL OR transfer_id IS NULL)`;
        if (row!.n === 0) return;
        if (Date.now() > until) {
          const missing = await sql`SELECT id, status, payment_intent_id, transfer_id, processor_fee_cents, paid_at FROM payments WHERE status IN ('paid', 'partially_refunded', 'refunded') AND (processor_fee_cents IS NULL OR transfer_id IS NULL)`;
          throw new Error(`${row!.n} payments still without charge details: ${JSON.stringify(missing)}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },

    /** Sum of an account's lines (debits positive, credits negative); `like` for per-co-op accounts. */
    async balance(code: string, like = false): Promise<number> {
      const [row] = like
        ? await sql`SELECT coalesce(sum(l.amount_cents), 0)::bigint AS b FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id WHERE a.code LIKE ${code}`
        : await sql`SELECT coalesce(sum(l.amount_cents), 0)::bigint AS b FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id WHERE a.code = ${code}`;
      return Number(row!.b);
    },

    /** The ledger entries of a booking: kind and lines by account code. */
    async entries(bookingId: string) {
      const rows = await sql`
        SELECT e.id, e.kind, e.source, a.code, l.amount_cents::bigint AS amount FROM journal_entries e
        JOIN journal_lines l ON l.entry_id = e.id JOIN ledger_accounts a ON a.id = l.account_id
        WHERE e.booking_id = ${bookingId} ORDER BY e.id, l.id`;
      const byEntry = new Map<number, { kind: string; source: string; lines: Record<string, number> }>();
      for (const r of rows) {
        const e = byEntry.get(Number(r.id)) ?? { kind: String(r.kind), source: String(r.source), lines: {} as Record<string, number> };
        const code = String(r.code).replace(/:.*$/, '');
        e.lines[code] = (e.lines[code] ?? 0) + Number(r.amount);
        byEntry.set(Number(r.id), e);
      }
      return [...byEntry.values()];
    },

    /** An object in the emulator's memory, typed as far as the test needs it. */
    stripeObject<T>(id: string): T {
      const found = t.stripe.state.get(id);
      if (!found) throw new Error(`no ${id} at the Stripe emulator`);
      return found as unknown as T;
    },

    /** Stripe's HTTP API on the emulator, as the dashboard or a script would use it. */
    async stripeApi(method: 'GET' | 'POST', path: string, form?: Record<string, string>) {
      const res = await fetch(`${t.stripe.url}/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${t.config.stripe.secretKey}`, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(form ? { body: new URLSearchParams(form).toString() } : {}),
      });
      const body = await res.json();
      if (!res.ok) throw new Error(`Stripe ${method} ${path}: ${res.status} ${JSON.stringify(body)}`);
      return body;
    },

    /** GET /steward/ledger/check, which must pass. */
    async ledgerOk(steward: SignedIn) {
      const res = await req('GET', '/steward/ledger/check', steward);
      expect(res.statusCode, res.body).toBe(200);
      const check = res.json() as { ok: boolean; entries: number; lines: number; checks: { name: string; ok: boolean; problems: string[] }[] };
      expect(check.checks.filter((c) => !c.ok), JSON.stringify(check.checks)).toEqual([]);
      expect(check.ok).toBe(true);
      return check;
    },
  };
  return kit;
}

export type PaymentsKit = ReturnType<typeof paymentsKit>;

/**
 * The usual cast: a steward, a co-op admin whose co-op is approved, onboarded at Stripe and (by
 * default) registered for GST and QST, a client, a stranger, and a fixed-price listing of 135.00 $
 * open all day with a 50 % late-cancellation charge.
 */
export async function paymentsWorld(t: TestApp, opts: { taxes?: boolean; priceCents?: number; schedule?: Record<string, unknown> } = {}) {
  const [steward, admin, client, stranger] = await Promise.all([1, 2, 3, 4].map(() => signUp(t.app)));
  await makeSteward(t, steward!.userId);
  const coopId = (await approvedCoop(t, steward!, admin!, 'Ménage Éclat')).id;
  const stripeAccountId = await onboardCoop(t, admin!, coopId);
  const kit = paymentsKit(t);
  if (opts.taxes ?? true) await kit.setTaxes(admin!, coopId, true);
  const listingId = (await publishListing(t, admin!, coopId, { priceKind: 'fixed', priceCents: opts.priceCents ?? 13_500, durationMinutes: 60 })).id;
  await setSchedule(t, admin!, listingId, { freeCancellationHours: 24, lateCancellationPercent: 50, ...opts.schedule });
  return { steward: steward!, admin: admin!, client: client!, stranger: stranger!, coopId, stripeAccountId, listingId, kit };
}

/** Hands out distinct future start times, `step` hours apart, from `first` hours ahead. */
export function slots(first: number, step = 2) {
  let h = first - step;
  return () => hourFromNow((h += step));
}
