import type { Earnings } from '@tissu/shared';
import type { Database } from '@tissu/db';
import { requireSteward, type Actor } from '../../actor.js';
import type { PaymentGateway } from '../../plugins/stripe.js';
import { requireCoopRole } from '../coops/index.js';
import { checkLedger } from '../ledger/index.js';
import { gatewayDown } from '../../lib/gateway.js';
import { sharesPaidSince } from '../membership/index.js';
import * as repo from './repository.js';
import { booksDate } from '../../lib/calendar.js';

/** What stewards and co-ops read about money: the ledger check, reconciliation, earnings. */
export function createPaymentReports(deps: { database: Database; gateway: PaymentGateway }) {
  const { database, gateway } = deps;
  const db = database.db;
  return {
    async ledgerCheck(actor: Actor | null) {
      requireSteward(actor);
      return checkLedger((q) => database.sql.unsafe(q) as unknown as Promise<Record<string, unknown>[]>);
    },

    /** Compares what Tissu recorded with what Stripe reports, payment by payment. */
    async reconcile(actor: Actor | null, days = 90) {
      requireSteward(actor);
      const since = new Date(Date.now() - days * 86_400_000);
      let theirs;
      try {
        theirs = await gateway.listPayments(since);
      } catch (err) {
        throw gatewayDown(err);
      }
      const ours = await repo.settledSince(db, since);
      // Qualifying shares paid online are payments to the platform too, never refunded by Tissu's code.
      const shares = (await sharesPaidSince(db, since)).map((s) => ({ paymentIntentId: s.paymentIntentId, bookingId: null, totalCents: s.shareCents, refundedCents: 0 }));
      // Tips are charges to the client too (their own table, no fee): matched like the rest.
      const tips = await repo.tipsPaidSince(db, since);
      const byIntent = new Map([...ours, ...shares, ...tips].filter((p) => p.paymentIntentId).map((p) => [p.paymentIntentId!, p]));
      const mismatches: { paymentIntentId: string | null; bookingId: string | null; problem: string; tissuCents: number | null; stripeCents: number | null }[] = [];
      let matched = 0;
      for (const s of theirs.filter((t) => t.status === 'succeeded')) {
        const p = byIntent.get(s.paymentIntentId);
        byIntent.delete(s.paymentIntentId);
        if (!p) mismatches.push({ paymentIntentId: s.paymentIntentId, bookingId: s.bookingId, problem: 'Paid at Stripe, not recorded in Tissu', tissuCents: null, stripeCents: s.amountCents });
        else if (p.totalCents !== s.amountCents) mismatches.push({ paymentIntentId: s.paymentIntentId, bookingId: p.bookingId, problem: 'Amounts differ', tissuCents: p.totalCents, stripeCents: s.amountCents });
        else if (p.refundedCents !== s.refundedCents) mismatches.push({ paymentIntentId: s.paymentIntentId, bookingId: p.bookingId, problem: 'Refunded amounts differ', tissuCents: p.refundedCents, stripeCents: s.refundedCents });
        else matched++;
      }
      for (const p of byIntent.values()) {
        mismatches.push({ paymentIntentId: p.paymentIntentId, bookingId: p.bookingId, problem: 'Recorded in Tissu, not found at Stripe', tissuCents: p.totalCents, stripeCents: null });
      }
      return { checkedAt: new Date().toISOString(), since: since.toISOString(), matched, mismatches };
    },

    /** A co-op's money for a year: per booking and per month (America/Toronto months). */
    async earnings(actor: Actor | null, coopId: string, year = Number(booksDate(new Date()).slice(0, 4))): Promise<Earnings> {
      await requireCoopRole(db, actor, coopId, 'admin');
      // January 1 starts at 05:00 UTC in Montréal (standard time).
      const from = new Date(Date.UTC(year, 0, 1, 5));
      const to = new Date(Date.UTC(year + 1, 0, 1, 5));
      const rows = await repo.settledPaymentsOfCoop(db, coopId, from, to);
      const refunds = await repo.refundsOfPayments(db, rows.map((r) => r.payment.id));
      const monthOf = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto', year: 'numeric', month: '2-digit' }).format(d);
      const zero = () => ({ grossCents: 0, feeCents: 0, taxesCents: 0, refundedCents: 0, netCents: 0 });
      const totals = zero();
      const months = new Map<string, ReturnType<typeof zero>>();
      const bookings: Earnings['bookings'] = [];
      for (const { payment: p, startsAt, titleFr, titleEn } of rows) {
        const rs = refunds.filter((r) => r.paymentId === p.id);
        const line = {
          grossCents: p.totalCents,
          feeCents: p.platformFeeCents - rs.reduce((s, r) => s + r.platformFeeCents, 0),
          taxesCents: p.gstCents + p.qstCents - rs.reduce((s, r) => s + r.gstCents + r.qstCents, 0),
          refundedCents: rs.reduce((s, r) => s + r.totalCents, 0),
          netCents: p.coopCents - rs.reduce((s, r) => s + r.coopCents, 0),
        };
        const month = monthOf(p.paidAt!);
        const m = months.get(month) ?? zero();
        for (const k of Object.keys(line) as (keyof typeof line)[]) {
          m[k] += line[k];
          totals[k] += line[k];
        }
        months.set(month, m);
        bookings.push({
          ...line, bookingId: p.bookingId, titleFr, titleEn, paidAt: p.paidAt!.toISOString(), startsAt: startsAt.toISOString(),
          payout: line.refundedCents === 0 ? 'transferred' : p.status === 'refunded' ? 'reversed' : 'partially_reversed',
        });
      }
      return { year, totals, months: [...months.entries()].sort().map(([month, m]) => ({ month, ...m })), bookings };
    },
  };
}
