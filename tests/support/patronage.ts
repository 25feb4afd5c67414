import { maxWorkedMinutes } from '@tissu/shared';
import { expect } from 'vitest';
import type { SignedIn, TestApp } from './test-app.js';
import { bookingBody, hourFromNow, payBooking, startBooking } from './fixtures.js';

/** A clock the fiscal and assembly rules read; bookings and payments keep real time. */
export function testClock() {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    /** Moves the rules' clock to an instant (real time keeps flowing from there). */
    set(at: Date | string) {
      offsetMs = new Date(at).getTime() - Date.now();
    },
    reset() {
      offsetMs = 0;
    },
  };
}

/** Toronto dates the way the books see them. */
const toronto = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto', year: 'numeric', month: '2-digit', day: '2-digit' });
export const torontoDate = (at: Date | string) => toronto.format(new Date(at));
export const firstOfThisMonth = () => `${torontoDate(new Date()).slice(0, 8)}01`;
/** Midday in Toronto on a date (17:00 UTC is noon in winter, 13:00 in summer). */
export const torontoMidday = (date: string) => new Date(`${date}T17:00:00Z`);

/** Requests and shorthands for membership, fiscal years, plans and votes. */
export function patronageKit(t: TestApp) {
  const sql = t.database.sql;
  const req = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, who: SignedIn | null, payload?: object) =>
    t.app.inject({ method, url, headers: who?.auth ?? {}, ...(payload ? { payload } : {}) });
  const ok = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, who: SignedIn | null, payload?: object, status = 200) => {
    const res = await req(method, url, who, payload);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
    return res.json();
  };

  return {
    sql,
    req,
    ok,
    get: (url: string, who: SignedIn | null) => req('GET', url, who),
    post: (url: string, who: SignedIn | null, payload: object = {}) => req('POST', url, who, payload),

    async join(steward: SignedIn, body: { class: string; userId?: string; coopId?: string; startedOn: string; paidBy?: string }) {
      return ok('POST', '/steward/memberships', steward, { paidBy: 'cheque', ...body }, 201) as Promise<{ id: string; shareCents: number; capitalCents: number }>;
    },

    /** A paid booking taken to completion, with the minutes each assigned worker delivered. */
    async completedBooking(o: { admin: SignedIn; client: SignedIn; listingId: string; hoursAhead: number; workers?: { who: SignedIn; minutes: number }[]; complete?: boolean }) {
      const b = await ok('POST', '/bookings', o.client, bookingBody(o.listingId, hourFromNow(o.hoursAhead)), 201);
      await ok('POST', `/bookings/${b.id}/accept`, o.admin, {});
      await payBooking(t, o.client, b.id);
      const workers = o.workers ?? [];
      if (workers.length) await ok('PUT', `/bookings/${b.id}/workers`, o.admin, { userIds: workers.map((w) => w.who.userId) });
      if (o.complete !== false) {
        // Work is recorded once a booking has started: time passes for this booking only, and its
        // planned time comes back once completed, since the year's measures go by the booking's date.
        const [planned] = await sql`SELECT starts_at, ends_at, blocked_until FROM bookings WHERE id = ${b.id}`;
        await startBooking(t, b.id);
        // Minutes beyond the booking's length are accepted with a reason, as the co-op would give.
        const booked = maxWorkedMinutes(new Date(b.startsAt), new Date(b.endsAt));
        const reason = workers.some((w) => w.minutes > booked) ? 'Le travail a demandé plus de temps que prévu' : undefined;
        await ok('POST', `/bookings/${b.id}/complete`, o.admin, { hours: workers.map((w) => ({ userId: w.who.userId, minutes: w.minutes })), reason });
        await sql`UPDATE bookings SET starts_at = ${planned!.starts_at}, ends_at = ${planned!.ends_at}, blocked_until = ${planned!.blocked_until} WHERE id = ${b.id}`;
      }
      return b as { id: string; startsAt: string };
    },

    /** Every member's frozen patronage for a year, summed over its months. */
    async measures(yearId: number): Promise<Record<string, number>> {
      const rows = await sql`SELECT membership_id, sum(units)::int AS units FROM patronage_measures WHERE fiscal_year_id = ${yearId} GROUP BY membership_id`;
      return Object.fromEntries(rows.map((r) => [r.membership_id as string, r.units as number]));
    },

    async balance(code: string): Promise<number> {
      const [row] = await sql`SELECT coalesce(sum(l.amount_cents), 0)::bigint AS b FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id WHERE a.code = ${code}`;
      return Number(row!.b);
    },

    async vote(who: SignedIn, proposalId: string, choice: 'yes' | 'no' | 'abstain', membershipId?: string) {
      return req('POST', `/proposals/${proposalId}/votes`, who, { choice, ...(membershipId ? { membershipId } : {}) });
    },
  };
}

export type PatronageKit = ReturnType<typeof patronageKit>;
