import { randomUUID } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { bookingPrice, priceBreakdown, refundBreakdown, type Breakdown } from '@tissu/shared';
import { schema, type Tx } from '@tissu/db';
import { startOfBooksDay } from '../../server/src/lib/calendar.js';
import { postEntries } from '../../server/src/modules/ledger/post.js';
import { paymentEntries, processorFeeEntry, refundEntries } from '../../server/src/modules/payments/ledger-entries.js';
import { WEEKLY_BOOKINGS } from './patronage-data.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Stripe's fee on a charge, as the emulator and Stripe Canada charge it. */
const stripeFee = (totalCents: number) => Math.round(totalCents * 0.029) + 30;

/** A small deterministic generator: the same demo year on every machine. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

export interface YearPeople {
  /** Clients, the demo client first (most bookings), then the others. */
  clients: { id: string; name: string; email: string; weight: number }[];
  /** Who delivers each co-op's bookings, by slug: [userId, share of the bookings]. */
  workers: Map<string, [string, number][]>;
  coops: { id: string; slug: string; taxed: boolean }[];
}

type Outcome = 'completed' | 'refunded_in_part' | 'cancelled';
interface Planned {
  coopId: string; listingId: string; clientId: string; contact: { name: string; email: string }; startsAt: Date; minutes: number;
  regularPriceCents: number; priceCents: number; workerId: string; outcome: Outcome; taxed: boolean; paidAt: Date; createdAt: Date;
}

/** Every booking of the year, planned first so payments can be numbered in the order they were paid. */
async function plan(tx: Tx, people: YearPeople, year: number): Promise<Planned[]> {
  const rnd = random(year);
  const jan1 = startOfBooksDay(`${year}-01-01`).getTime();
  const out: Planned[] = [];
  const clientPool = people.clients.flatMap((c) => Array.from({ length: c.weight }, () => c));
  for (const coop of people.coops) {
    const listings = await tx.select().from(schema.listings).where(eq(schema.listings.coopId, coop.id)).orderBy(asc(schema.listings.createdAt));
    const perWeek = WEEKLY_BOOKINGS[coop.slug] ?? 1;
    const workers = people.workers.get(coop.slug)!;
    for (let week = 0; week < 52; week++) {
      // A quieter summer for most services, a busy spring for movers (July 1st, Québec's moving day).
      const season = coop.slug === 'demenageurs-solidaires' && week >= 22 && week <= 26 ? 3 : week >= 28 && week <= 33 ? 0.6 : 1;
      const n = Math.round(perWeek * season * (0.7 + rnd.next() * 0.6));
      for (let k = 0; k < n; k++) {
        const listing = rnd.pick(listings);
        const day = week * 7 + rnd.int(0, 5);
        // 08:00–16:00 Toronto time (an hour later on the spring-forward day: a demo can live with that).
        const startsAt = new Date(jan1 + day * DAY + rnd.int(8, 16) * HOUR);
        if (startsAt.getUTCFullYear() !== year || startsAt.getTime() >= startOfBooksDay(`${year}-12-31`).getTime()) continue;
        const client = rnd.pick(clientPool);
        const roll = rnd.next();
        const outcome: Outcome = roll < 0.03 ? 'cancelled' : roll < 0.08 ? 'refunded_in_part' : 'completed';
        const price = bookingPrice(listing.priceKind, listing.priceCents, listing.durationMinutes);
        let r = rnd.next();
        const workerId = workers.find(([, share]) => (r -= share) < 0)?.[0] ?? workers[0]![0];
        const paidAt = new Date(Math.max(jan1 + 12 * HOUR, startsAt.getTime() - rnd.int(1, 9) * DAY - rnd.int(1, 8) * HOUR));
        out.push({
          coopId: coop.id, listingId: listing.id, clientId: client.id, contact: { name: client.name, email: client.email }, startsAt,
          minutes: listing.durationMinutes, regularPriceCents: price, priceCents: price, workerId, outcome, taxed: coop.taxed,
          paidAt, createdAt: new Date(paidAt.getTime() - rnd.int(2, 30) * HOUR),
        });
      }
    }
  }
  return out.sort((a, b) => a.paidAt.getTime() - b.paidAt.getTime());
}

const REFUND_REASONS = ['Service écourté : geste de la coopérative', 'Retard de l’équipe, rabais convenu avec la cliente', 'Une partie du travail à reprendre'];
/** Rows per statement: keeps each insert well under PostgreSQL's parameter limit. */
const CHUNK = 400;

/** A block of receipt numbers for the year, in the order the payments were made. */
async function reserveReceipts(tx: Tx, year: number, count: number): Promise<(i: number) => string> {
  const [row] = await tx.insert(schema.receiptCounters).values({ year, lastNumber: count })
    .onConflictDoUpdate({ target: schema.receiptCounters.year, set: { lastNumber: sql`${schema.receiptCounters.lastNumber} + ${count}` } })
    .returning();
  const first = row!.lastNumber - count + 1;
  return (i) => `TIS-${year}-${String(first + i).padStart(6, '0')}`;
}

/**
 * A year of completed bookings with their payments, Stripe fees and refunds. The ledger entries
 * are built by the payments module's own builders (paymentEntries, processorFeeEntry,
 * refundEntries) and posted in batches; booking rows, their event trail and payment rows are
 * inserted in bulk, a few statements per few hundred bookings, so `pnpm start` stays quick (the
 * booking service would also check slots against today and email everyone).
 */
export async function seedYearOfBookings(tx: Tx, people: YearPeople, year: number): Promise<{ bookings: number; refunds: number }> {
  const planned = await plan(tx, people, year);
  const receipt = await reserveReceipts(tx, year, planned.length);
  const rnd = random(year + 1);
  let refunds = 0;
  for (let i = 0; i < planned.length; i += CHUNK) {
    const rows = planned.slice(i, i + CHUNK).map((p, j) => {
      const n = i + j;
      const id = randomUUID();
      const endsAt = new Date(p.startsAt.getTime() + p.minutes * 60_000);
      const cancelled = p.outcome === 'cancelled';
      const doneAt = cancelled ? new Date(p.paidAt.getTime() + 2 * HOUR) : new Date(endsAt.getTime() + HOUR);
      const taxes = { gst: p.taxed, qst: p.taxed };
      const bd: Breakdown = priceBreakdown(p.priceCents, 500, taxes);
      // A free cancellation refunds everything; a goodwill refund gives back a fifth of the service.
      const refund = p.outcome === 'completed' ? null : refundBreakdown(bd, cancelled ? 0 : bd.serviceCents - Math.round(bd.serviceCents / 5), taxes);
      return { p, n, id, endsAt, doneAt, bd, refund, paymentId: randomUUID(), acceptedAt: new Date(p.createdAt.getTime() + HOUR) };
    });
    await tx.insert(schema.bookings).values(rows.map(({ p, id, endsAt, doneAt }) => ({
      id, listingId: p.listingId, coopId: p.coopId, clientId: p.clientId, state: p.outcome === 'cancelled' ? 'cancelled_by_client' as const : 'completed' as const,
      startsAt: p.startsAt, endsAt, blockedUntil: endsAt, unit: 0, timeZone: 'America/Toronto', durationMinutes: p.minutes,
      regularPriceCents: p.regularPriceCents, priceCents: p.priceCents, contactName: p.contact.name, contactEmail: p.contact.email,
      freeCancellationHours: 24, lateCancellationPercent: 50, feeRateBps: 500, createdAt: p.createdAt, updatedAt: doneAt,
    })));
    await tx.insert(schema.bookingEvents).values(rows.flatMap(({ p, id: bookingId, doneAt, acceptedAt }) => [
      { bookingId, actorId: p.clientId, actorRole: 'client' as const, fromState: null, toState: 'requested', kind: 'created' as const, createdAt: p.createdAt },
      { bookingId, actorId: null, actorRole: 'coop_admin' as const, fromState: 'requested', toState: 'accepted', createdAt: acceptedAt },
      { bookingId, actorId: null, actorRole: 'system' as const, fromState: 'accepted', toState: 'paid', createdAt: p.paidAt },
      p.outcome === 'cancelled'
        ? { bookingId, actorId: p.clientId, actorRole: 'client' as const, fromState: 'paid', toState: 'cancelled_by_client', reason: 'Changement de plans', createdAt: doneAt }
        : { bookingId, actorId: null, actorRole: 'coop_admin' as const, fromState: 'paid', toState: 'completed', createdAt: doneAt },
    ]));
    const delivered = rows.filter((r) => r.p.outcome !== 'cancelled');
    await tx.insert(schema.bookingWorkers).values(delivered.map(({ p, id, acceptedAt }) => ({ bookingId: id, userId: p.workerId, minutesDelivered: p.minutes, assignedAt: acceptedAt })));
    const payments = await tx.insert(schema.payments).values(rows.map(({ p, n, id, bd, refund, paymentId }) => ({
      id: paymentId, bookingId: id, coopId: p.coopId, checkoutSessionId: `cs_demo_${year}_${n}`, checkoutUrl: '', paymentIntentId: `pi_demo_${year}_${n}`,
      transferId: `tr_demo_${year}_${n}`, serviceCents: bd.serviceCents, gstCents: bd.gstCents, qstCents: bd.qstCents, totalCents: bd.totalCents,
      feeRateBps: bd.feeRateBps, platformFeeCents: bd.platformFeeCents, coopCents: bd.coopCents, processorFeeCents: stripeFee(bd.totalCents),
      status: !refund ? 'paid' as const : refund.totalCents >= bd.totalCents ? 'refunded' as const : 'partially_refunded' as const,
      refundedCents: refund?.totalCents ?? 0, paidAt: p.paidAt, createdAt: p.createdAt, receiptNumber: receipt(n),
    }))).returning();
    const refunded = rows.filter((r) => r.refund);
    const refundRows = refunded.length === 0 ? [] : await tx.insert(schema.refunds).values(refunded.map(({ p, n, id, paymentId, refund: r, doneAt }) => ({
      paymentId, bookingId: id, kind: p.outcome === 'cancelled' ? 'client_cancellation' as const : 'steward' as const,
      reason: p.outcome === 'cancelled' ? 'Annulation acceptée sans frais par la coopérative' : rnd.pick(REFUND_REASONS),
      serviceCents: r!.serviceCents, gstCents: r!.gstCents, qstCents: r!.qstCents, totalCents: r!.totalCents, platformFeeCents: r!.platformFeeCents, coopCents: r!.coopCents,
      stripeRefundId: `re_demo_${year}_${n}`, createdAt: p.outcome === 'cancelled' ? doneAt : new Date(doneAt.getTime() + 2 * DAY),
    }))).returning();
    const byId = new Map(payments.map((p) => [p.id, p]));
    await postEntries(tx, [
      ...payments.flatMap((p) => [...paymentEntries(p, `stripe:evt_demo_${p.paymentIntentId}`), processorFeeEntry(p, p.processorFeeCents!)]),
      ...refundRows.flatMap((r) => refundEntries(byId.get(r.paymentId)!, r)),
    ]);
    refunds += refundRows.length;
  }
  return { bookings: planned.length, refunds };
}
