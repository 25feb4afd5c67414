import type { Tip, TipOptions, TipsByWorker } from '@tissu/shared';
import { fieldError, splitByWeights, TIP_MIN_CENTS, TIP_PRESET_PERCENTS, tipMaxCents, tipPresetCents } from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import { requireActor, requireVerifiedEmail, type Actor } from '../../actor.js';
import { badRequest, conflict, notFound } from '../../errors.js';
import type { PaymentGateway } from '../../plugins/stripe.js';
import { gatewayDown } from '../../lib/gateway.js';
import { booksDate, startOfBooksDay } from '../../lib/calendar.js';
import { lockBooking, type BookingRow } from '../bookings/index.js';
import { requireCoopRole } from '../coops/index.js';
import { ACCOUNTS, postEntry, tipsPayable } from '../ledger/index.js';
import { paymentAccount, paymentCustomer, type StripeEvent, type TipEvents } from '../payments/index.js';
import { createTipFees } from './fees.js';
import { tipPaidMessages } from '../notifications/index.js';
import * as repo from './repository.js';

/** How long a charge of the saved card may go unanswered before a new click asks Stripe again (same key). */
const RETRY_UNANSWERED_MS = 60_000;

export interface TipsDeps {
  db: Db;
  gateway: PaymentGateway;
  webOrigin: string;
  now?: () => Date;
}

const view = (t: repo.TipRow): Tip => ({
  id: t.id, bookingId: t.bookingId, amountCents: t.amountCents, status: t.status,
  checkoutUrl: t.status === 'open' ? t.checkoutUrl : null, lastError: t.lastError, paidAt: t.paidAt?.toISOString() ?? null,
});

/**
 * A tip, paid: the client's money reaches the platform's Stripe balance and is owed to the co-op
 * in full (tips payable: no fee, no tax), and Stripe's destination charge moves it to the co-op at
 * once, booked with it, as a payment's share is. Keyed by the tip: booked once however many
 * events say it was paid.
 */
async function bookTip(tx: Tx, t: repo.TipRow, paidAt: Date) {
  await postEntry(tx, {
    kind: 'tip', source: `tip:${t.id}`, bookingId: t.bookingId, memo: `Tip ${t.paymentIntentId ?? t.checkoutSessionId ?? ''}`.trim(), occurredAt: paidAt,
    lines: [{ account: ACCOUNTS.clientPayments, amount: t.amountCents }, { account: tipsPayable(t.coopId), amount: -t.amountCents }],
  });
  await postEntry(tx, {
    kind: 'tip_transfer', source: `tip:${t.id}:transfer`, bookingId: t.bookingId, memo: 'Tip transferred to the co-op by Stripe', occurredAt: paidAt,
    lines: [{ account: tipsPayable(t.coopId), amount: t.amountCents }, { account: ACCOUNTS.clientPayments, amount: -t.amountCents }],
  });
}

/**
 * Tips on completed visits. One per booking, given by its client: the booking's row is locked
 * while the tip is written, so a double click (or two tabs) finds the first tip and answers it
 * rather than charging again; each try at Stripe carries the key `tip:<id>:<attempt>`, so a retry
 * after a lost answer gets the same charge back. A refused card or an abandoned Checkout leaves
 * the tip `failed`, and a new try (a new attempt number) may change the amount.
 */
export function createTipsService(deps: TipsDeps): TipEvents & ReturnType<typeof methods> {
  return methods(deps);
}

function methods(deps: TipsDeps) {
  const { db, gateway } = deps;
  const now = () => deps.now?.() ?? new Date();
  const fees = createTipFees(deps);

  /** The client's own booking, locked, or 404 (someone else's booking is not said to exist). */
  async function clientsBooking(tx: Tx, actor: Actor, bookingId: string): Promise<BookingRow> {
    const b = await lockBooking(tx, bookingId);
    if (!b || b.clientId !== actor.userId) throw notFound('Booking');
    return b;
  }

  /** Marks a tip paid (once) and books it, in the caller's transaction. */
  async function settle(tx: Tx, tipId: string, paid: { paymentIntentId: string | null; amountCents: unknown; currency: unknown }): Promise<boolean> {
    const t = await repo.lockTip(tx, tipId);
    if (!t || t.status === 'paid') return false;
    // Only the amount asked, in dollars: anything else is not this tip (logged by the caller's event id, nothing changed).
    if (paid.amountCents !== t.amountCents || (typeof paid.currency === 'string' && paid.currency.toLowerCase() !== 'cad')) return false;
    const at = now();
    const done = await repo.updateTip(tx, t.id, { status: 'paid', paidAt: at, paymentIntentId: paid.paymentIntentId ?? t.paymentIntentId, lastError: null });
    await bookTip(tx, done, at);
    // The client's thank-you (her receipt) and each worker's share, sent once after the commit.
    await tipPaidMessages(tx, done);
    return true;
  }

  return {
    async options(actor: Actor | null, bookingId: string): Promise<TipOptions> {
      const a = requireActor(actor);
      return db.transaction(async (tx) => {
        const b = await clientsBooking(tx, a, bookingId);
        const [tip, card] = await Promise.all([repo.tipOfBooking(tx, b.id), paymentCustomer(tx, a.userId)]);
        return {
          tip: tip ? view(tip) : null,
          allowed: b.state === 'completed' && (!tip || tip.status === 'failed'),
          presets: TIP_PRESET_PERCENTS.map((percent) => ({ percent, amountCents: tipPresetCents(b.priceCents, percent) })),
          minCents: TIP_MIN_CENTS,
          maxCents: tipMaxCents(b.priceCents),
          card: card?.paymentMethodId ? { brand: card.cardBrand ?? 'card', last4: card.cardLast4 ?? '' } : null,
        };
      });
    },

    /**
     * Gives a tip: charged to the saved card when there is one (off-session, as a visit is), else a
     * Checkout session to pay it. The row is written and committed before Stripe is asked, so the
     * charge's key exists before the charge; its answer is applied in a second transaction.
     */
    async give(actor: Actor | null, bookingId: string, amountCents: number): Promise<Tip> {
      const a = requireVerifiedEmail(actor);
      const attempt = await db.transaction(async (tx) => {
        const b = await clientsBooking(tx, a, bookingId);
        if (b.state !== 'completed') throw conflict('A tip can be given once the visit is completed', 'not_completed');
        const max = tipMaxCents(b.priceCents);
        if (amountCents > max) throw badRequest('This tip is too large', { amountCents: [fieldError('amount_too_large', { maximum: max })] });
        const existing = await repo.tipOfBooking(tx, b.id);
        // A charge of the card whose answer never came (Stripe down, a crash) is asked again after a
        // minute with the same key: Stripe answers the first charge, never makes a second.
        const unanswered = existing?.status === 'open' && !existing.checkoutSessionId && Date.now() - existing.updatedAt.getTime() > RETRY_UNANSWERED_MS;
        // Given already, or being paid: the same tip again, never a second charge.
        if (existing && existing.status !== 'failed' && !unanswered) return { tip: existing, charge: null };
        const account = await paymentAccount(tx, b.coopId);
        if (!account?.chargesEnabled || !account.stripeAccountId) throw conflict('This co-op cannot take payments right now', 'coop_not_ready');
        if (unanswered) {
          const customer = await paymentCustomer(tx, a.userId);
          if (!customer) return { tip: existing, charge: null };
          const cardId = existing.paymentIntentId ? null : customer.paymentMethodId;
          if (!cardId) return { tip: existing, charge: null };
          return { tip: existing, charge: { key: `tip:${existing.id}:${existing.attempt}`, customerId: customer.stripeCustomerId, cardId, destination: account.stripeAccountId } };
        }
        const tip = existing
          ? await repo.updateTip(tx, existing.id, { amountCents, status: 'open', attempt: existing.attempt + 1, checkoutSessionId: null, checkoutUrl: null, paymentIntentId: null, lastError: null })
          : await repo.insertTip(tx, { bookingId: b.id, coopId: b.coopId, clientId: b.clientId, amountCents, status: 'open' });
        const customer = await paymentCustomer(tx, a.userId);
        const key = `tip:${tip.id}:${tip.attempt}`;
        if (customer?.paymentMethodId) {
          return { tip, charge: { key, customerId: customer.stripeCustomerId, cardId: customer.paymentMethodId, destination: account.stripeAccountId } };
        }
        try {
          const session = await gateway.createCheckout({
            idempotencyKey: `checkout:${key}`, paymentId: tip.id, tipId: tip.id, bookingId: b.id, destination: account.stripeAccountId,
            lines: [{ name: 'Pourboire / Tip', amountCents }], applicationFeeCents: 0, customerEmail: b.contactEmail,
            successUrl: `${deps.webOrigin}/bookings/${b.id}?tip=paid`, cancelUrl: `${deps.webOrigin}/bookings/${b.id}?tip=cancelled`,
            expiresAt: new Date(Date.now() + 60 * 60_000),
          });
          return { tip: await repo.updateTip(tx, tip.id, { checkoutSessionId: session.id, checkoutUrl: session.url }), charge: null };
        } catch (err) {
          throw gatewayDown(err);
        }
      });
      if (!attempt.charge) return view(attempt.tip);
      const { tip, charge } = attempt;
      const result = await gateway.chargeSavedCard({
        idempotencyKey: charge.key, customerId: charge.customerId, paymentMethodId: charge.cardId, amountCents: tip.amountCents,
        applicationFeeCents: 0, destination: charge.destination, description: 'Tissu — tip', metadata: { bookingId: tip.bookingId, tipId: tip.id },
      }).catch((err) => { throw gatewayDown(err); });
      const answer = await db.transaction(async (tx) => {
        if (result.ok) {
          if (result.status === 'succeeded') await settle(tx, tip.id, { paymentIntentId: result.paymentIntentId, amountCents: result.amountCents, currency: result.currency });
        } else {
          const t = await repo.lockTip(tx, tip.id);
          if (t?.status === 'open') {
            const why = result.declineCode && result.declineCode !== result.code ? `${result.code}:${result.declineCode}` : result.code;
            await repo.updateTip(tx, t.id, { status: 'failed', lastError: why, paymentIntentId: result.paymentIntentId });
          }
        }
        return view((await repo.lockTip(tx, tip.id))!);
      });
      // Stripe's fee on it, read after the commit as for a booking's payment (the charge-details job retries).
      if (answer.status === 'paid') await fees.record(tip.id).catch(() => {});
      return answer;
    },

    /** Stripe's word on a tip: paid (Checkout completed, or the card's intent succeeded), or its Checkout expired. */
    async onTipEvent(tx: Tx, e: StripeEvent, tipId: string): Promise<boolean> {
      const o = e.object;
      const str = (v: unknown) => (typeof v === 'string' ? v : null);
      switch (e.type) {
        case 'checkout.session.completed':
          if (o.payment_status !== 'paid') return false;
          return settle(tx, tipId, { paymentIntentId: str(o.payment_intent), amountCents: o.amount_total, currency: o.currency });
        case 'payment_intent.succeeded':
          return settle(tx, tipId, { paymentIntentId: str(o.id), amountCents: o.amount_received ?? o.amount, currency: o.currency });
        case 'checkout.session.expired': {
          const t = await repo.lockTip(tx, tipId);
          if (t?.status === 'open' && t.checkoutSessionId === o.id) await repo.updateTip(tx, t.id, { status: 'failed', lastError: 'checkout_expired' });
          return false;
        }
        default:
          return false;
      }
    },

    /**
     * A co-op's tips of a calendar year, per worker: each tip is split equally among the workers
     * assigned to its visit, by largest remainder (ties to the lower user id), so the parts add up to
     * the tip. Admins see everyone; a worker-member sees her own line only.
     */
    async byWorker(actor: Actor | null, coopId: string, year?: number): Promise<TipsByWorker> {
      const { actor: a, role } = await requireCoopRole(db, actor, coopId, 'member');
      const y = year ?? Number(booksDate(now()).slice(0, 4));
      const rows = await repo.paidTipsWithWorkers(db, coopId, startOfBooksDay(`${y}-01-01`), startOfBooksDay(`${y + 1}-01-01`));
      const per = new Map<string, { userId: string; name: string; cents: number; tips: number }>();
      let unassignedCents = 0;
      let totalCents = 0;
      for (const t of rows) {
        totalCents += t.amountCents;
        if (t.workers.length === 0) { unassignedCents += t.amountCents; continue; }
        const parts = splitByWeights(t.amountCents, t.workers.map(() => 1));
        t.workers.forEach((w, i) => {
          const line = per.get(w.userId) ?? { userId: w.userId, name: w.name, cents: 0, tips: 0 };
          line.cents += parts[i]!;
          line.tips += 1;
          per.set(w.userId, line);
        });
      }
      const workers = [...per.values()].sort((x, z) => z.cents - x.cents || x.name.localeCompare(z.name));
      if (role !== 'admin') {
        const mine = workers.filter((w) => w.userId === a.userId);
        return { year: y, totalCents: mine.reduce((s, w) => s + w.cents, 0), workers: mine, unassignedCents: 0 };
      }
      return { year: y, totalCents, workers, unassignedCents };
    },
  };
}

export type TipsService = ReturnType<typeof createTipsService>;
