import type { SavedCardView } from '@tissu/shared';
import { priceBreakdown } from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import { requireActor, requireVerifiedEmail, type Actor } from '../../actor.js';
import type { PaymentGateway, SavedCard } from '../../plugins/stripe.js';
import { gatewayDown } from '../../lib/gateway.js';
import { notFound } from '../../errors.js';
import { insertEvent, lockBooking, notifyClient } from '../bookings/index.js';
import { findUserById } from '../accounts/index.js';
import { partAmounts, partDue, taxesFor, taxesOf, type CheckoutService } from './checkout.js';
import { customerOf } from './customers.js';
import { createLatePayments } from './late-payments.js';
import * as repo from './repository.js';

export interface SavedCardsDeps {
  db: Db;
  gateway: PaymentGateway;
  webOrigin: string;
  checkout: CheckoutService;
  log: { warn(o: object, m: string): void; error(o: object, m: string): void };
  now?: () => Date;
  wake?: () => void;
}

const view = (c: repo.PaymentCustomerRow | undefined): SavedCardView | null =>
  c?.paymentMethodId ? { brand: c.cardBrand ?? 'card', last4: c.cardLast4 ?? '', expMonth: c.cardExpMonth ?? 0, expYear: c.cardExpYear ?? 0 } : null;

/** The key of the one charge a visit gets: a retry (a lost answer, a crash) asks Stripe the same question. */
export const visitChargeSession = (bookingId: string) => `saved-card:${bookingId}`;
/** The key of the one off-session charge of a quote's balance. */
export const balanceChargeSession = (bookingId: string) => `balance:${bookingId}`;

/**
 * A card saved once for regular visits, and the visits charged to it. The charge is a destination
 * charge with the platform fee the series was made with (the visit's own rate), made when the
 * visit's free cancellation ends (and at least a day before it): a client who cancels in time is
 * never charged then refunded (Stripe keeps its fee on a refund), and a refused card still leaves
 * a day to pay on-session before the visit lapses, two hours before it starts.
 */
export function createSavedCards(deps: SavedCardsDeps) {
  const { db, gateway } = deps;
  const now = () => deps.now?.() ?? new Date();
  const late = createLatePayments(deps);

  /** The card becomes the person's card for visits (Stripe's default too), replacing and detaching any other. */
  /**
   * Keeps a card Stripe saved, replacing the person's card, unless the person chose since (saved a
   * card Stripe made later, or removed theirs): Stripe's events come late and out of order, and an
   * older card then is detached rather than brought back. `c` is locked by the caller.
   */
  async function useCard(tx: Tx, c: repo.PaymentCustomerRow, card: SavedCard): Promise<boolean> {
    if (c.paymentMethodId === card.paymentMethodId) return false;
    // Stripe dates its objects to the second: within the same second the later event wins.
    if (c.cardSetAt && Math.floor(card.createdAt.getTime() / 1000) < Math.floor(c.cardSetAt.getTime() / 1000)) {
      await gateway.detachCard(card.paymentMethodId);
      return false;
    }
    await gateway.setDefaultCard(c.stripeCustomerId, card.paymentMethodId);
    if (c.paymentMethodId) await gateway.detachCard(c.paymentMethodId);
    await repo.upsertPaymentCustomer(tx, {
      userId: c.userId, stripeCustomerId: c.stripeCustomerId, paymentMethodId: card.paymentMethodId,
      cardBrand: card.brand, cardLast4: card.last4, cardExpMonth: card.expMonth, cardExpYear: card.expYear, cardSetAt: card.createdAt,
    });
    return true;
  }

  /**
   * The balance of a completed quote booking, charged off-session to the card its deposit saved:
   * the attempt is written first (a retry asks Stripe again with the same key), then settled as any
   * payment (receipt, ledger entry). Refused, or no card: the client is emailed to pay it on-session
   * (POST /bookings/:id/checkout then opens Checkout for the balance).
   */
  async function chargeBalance(bookingId: string): Promise<'charged' | 'refused' | 'skipped'> {
    const attempt = await db.transaction(async (tx) => {
      const b = await lockBooking(tx, bookingId);
      if (!b || b.state !== 'completed' || b.depositPercent === 0) return null;
      const account = await repo.paymentAccount(tx, b.coopId);
      if (!account?.chargesEnabled || !account.stripeAccountId) return null;
      const existing = await repo.paymentsOfBooking(tx, bookingId);
      // As the accepted offer showed them (frozen at acceptance), as the deposit was.
      const taxes = taxesFor(b, account);
      if ((await partDue(tx, b, taxes)) !== 'balance') return null;
      const mine = existing.find((p) => p.checkoutSessionId === balanceChargeSession(bookingId));
      if (mine && mine.status !== 'open') return null; // charged once; a refusal is paid on-session
      const customer = await repo.paymentCustomer(tx, b.clientId);
      const bd = partAmounts(b, taxes, 'balance');
      const payment = mine ?? await repo.insertPayment(tx, {
        bookingId, coopId: b.coopId, status: 'open', part: 'balance', checkoutSessionId: balanceChargeSession(bookingId), checkoutUrl: '', savedCardId: customer?.paymentMethodId ?? null,
        serviceCents: bd.serviceCents, gstCents: bd.gstCents, qstCents: bd.qstCents, totalCents: bd.totalCents,
        feeRateBps: bd.feeRateBps, platformFeeCents: bd.platformFeeCents, coopCents: bd.coopCents,
      });
      const cardId = payment.savedCardId ?? customer?.paymentMethodId;
      if (!customer || !cardId) {
        await repo.updatePayment(tx, payment.id, { status: 'expired', lastError: 'no_saved_card' });
        await notifyClient(tx, b, 'balance_due', 'no_saved_card');
        return null;
      }
      return { payment, customer, cardId, destination: account.stripeAccountId };
    });
    if (!attempt) return 'skipped';
    const { payment, customer, cardId, destination } = attempt;
    const result = await gateway.chargeSavedCard({
      idempotencyKey: `balance-charge:${payment.id}`, customerId: customer.stripeCustomerId, paymentMethodId: cardId,
      amountCents: payment.totalCents, applicationFeeCents: payment.platformFeeCents, destination,
      description: 'Tissu — balance', metadata: { bookingId, paymentId: payment.id },
    });
    const outcome = await db.transaction(async (tx) => {
      if (result.ok) {
        const paid = await deps.checkout.markPaid(tx, { paymentId: payment.id }, {
          source: `stripe:${result.paymentIntentId}`, checkoutSessionId: null, paymentIntentId: result.paymentIntentId,
          amountCents: result.amountCents, currency: result.currency, succeeded: result.status === 'succeeded', metadata: { bookingId, paymentId: payment.id },
        });
        const settled = paid ?? (await repo.findPayment(tx, payment.id));
        return settled?.status === 'paid' ? ('charged' as const) : ('skipped' as const);
      }
      const p = await repo.lockPayment(tx, { id: payment.id });
      if (p?.status !== 'open') return 'skipped' as const;
      const why = result.declineCode && result.declineCode !== result.code ? `${result.code}:${result.declineCode}` : result.code;
      await repo.updatePayment(tx, payment.id, { status: 'expired', lastError: why, paymentIntentId: result.paymentIntentId });
      const locked = await lockBooking(tx, bookingId);
      if (locked) {
        await insertEvent(tx, { bookingId, actorId: null, actorRole: 'system', kind: 'charge_failed', fromState: locked.state, toState: locked.state, reason: why });
        await notifyClient(tx, locked, 'balance_due', why);
      }
      return 'refused' as const;
    });
    // Stripe's fee and the transfer, read after the commit as for a Checkout payment (the job retries).
    if (outcome === 'charged') await deps.checkout.recordChargeDetails(payment.id).catch((err) => deps.log.warn({ err, paymentId: payment.id }, 'could not read charge details yet'));
    return outcome;
  }

  return {
    chargeBalance,

    /** The job: balances left uncharged at completion (Stripe not answering then), each on its own. */
    async chargeDueBalances(limit = 50): Promise<{ charged: number; refused: number }> {
      const out = { charged: 0, refused: 0 };
      for (const id of await repo.balancesToCharge(db, limit)) {
        const r = await chargeBalance(id).catch((err) => {
          deps.log.warn({ err, bookingId: id }, 'balance charge failed; next run tries again');
          return 'later' as const;
        });
        if (r === 'charged') out.charged++;
        if (r === 'refused') out.refused++;
      }
      if (out.charged || out.refused) deps.wake?.();
      return out;
    },

    async card(actor: Actor | null): Promise<{ card: SavedCardView | null }> {
      const a = requireActor(actor);
      return { card: view(await repo.paymentCustomer(db, a.userId)) };
    },

    /** Stripe Checkout in setup mode, for the person's customer (made the first time). */
    async setup(actor: Actor | null, returnTo: string): Promise<{ url: string }> {
      const a = requireVerifiedEmail(actor);
      const user = await findUserById(db, a.userId);
      try {
        const customer = await customerOf(db, gateway, a.userId);
        const back = `${deps.webOrigin}${returnTo}`;
        const sep = back.includes('?') ? '&' : '?';
        const session = await gateway.createSetupCheckout({
          customerId: customer.stripeCustomerId, userId: a.userId, locale: user!.locale,
          successUrl: `${back}${sep}card=saved&session={CHECKOUT_SESSION_ID}`, cancelUrl: `${back}${sep}card=cancelled`,
        });
        return { url: session.url };
      } catch (err) {
        throw gatewayDown(err);
      }
    },

    /**
     * The person back from Stripe's setup page: the card is recorded now from the session (as its
     * webhook will, which then changes nothing), so the page she lands on shows the card she just
     * entered rather than the old one or none. Only her own completed session counts.
     */
    async confirmSetup(actor: Actor | null, sessionId: string): Promise<{ card: SavedCardView | null; session: 'complete' | 'open' | 'expired' }> {
      const a = requireActor(actor);
      const session = await gateway.checkoutSession(sessionId).catch((err) => {
        if (err instanceof Error && /no such|resource_missing/i.test(err.message)) return null;
        throw gatewayDown(err);
      });
      const mine = await repo.paymentCustomer(db, a.userId);
      if (!session || !mine || session.customer !== mine.stripeCustomerId || session.mode !== 'setup') throw notFound('Checkout session');
      if (session.status === 'complete' && session.setupIntent) {
        const card = await gateway.setupCard(session.setupIntent).catch((err) => { throw gatewayDown(err); });
        await db.transaction(async (tx) => {
          const c = await repo.lockPaymentCustomer(tx, a.userId);
          if (c) await useCard(tx, c, card);
        });
      }
      // Said, so the page does not call an older card the one just saved, nor wait on a session never finished.
      return { ...(await this.card(actor)), session: session.status === 'complete' ? 'complete' : session.status === 'open' ? 'open' : 'expired' };
    },

    /** Removes the card at Stripe and here: no visit is charged to it again. */
    async remove(actor: Actor | null): Promise<{ card: null }> {
      const a = requireActor(actor);
      await db.transaction(async (tx) => {
        const c = await repo.lockPaymentCustomer(tx, a.userId);
        if (!c) return;
        if (c.paymentMethodId) await gateway.detachCard(c.paymentMethodId).catch((err) => { throw gatewayDown(err); });
        // Removed now: a card from an older setup or payment, arriving late, is not brought back.
        await repo.upsertPaymentCustomer(tx, {
          userId: a.userId, stripeCustomerId: c.stripeCustomerId, paymentMethodId: null, cardBrand: null, cardLast4: null, cardExpMonth: null, cardExpYear: null, cardSetAt: new Date(),
        });
      });
      return { card: null };
    },

    /** A completed setup (its webhook): the card it saved becomes the person's card for visits, replacing any other. */
    async recordSetup(tx: Tx, session: { customer: unknown; setup_intent: unknown }): Promise<boolean> {
      if (typeof session.customer !== 'string' || typeof session.setup_intent !== 'string') return false;
      const c = await repo.customerByStripeId(tx, session.customer);
      if (!c) return false;
      return useCard(tx, c, await gateway.setupCard(session.setup_intent));
    },

    /**
     * A visit of a series paid on-session (its Checkout asked to keep the card): called in the
     * transaction that settles the payment, so only the first of Stripe's two events about it
     * (checkout.session.completed, payment_intent.succeeded), never a replay or a late copy, and so
     * never over a card the person saved or removed since. A single booking keeps no card: its
     * Checkout never asked for one, and nothing here records it.
     */
    async recordPaidCard(tx: Tx, payment: repo.PaymentRow): Promise<boolean> {
      if (!payment.paymentIntentId || payment.checkoutSessionId === visitChargeSession(payment.bookingId)) return false;
      const b = await repo.bookingForPayment(tx, payment.bookingId);
      // A visit of a series, or a quote's deposit (its balance is charged to the card at completion).
      if (!b?.booking.seriesId && payment.part !== 'deposit') return false;
      if (!b) return false;
      const card = await gateway.paymentCard(payment.paymentIntentId);
      if (!card) return false; // paid without keeping the card (a Checkout opened before it was asked)
      const c = await repo.customerByStripeId(tx, card.customerId);
      if (!c || c.userId !== b.booking.clientId) {
        deps.log.error({ paymentId: payment.id, customer: card.customerId }, 'a visit paid as a customer that is not its client: card not kept');
        return false;
      }
      return useCard(tx, c, card);
    },

    /** The job: every visit whose charge is due, each in transactions of its own. */
    async chargeDueVisits(limit = 100): Promise<{ charged: number; refused: number }> {
      const out = { charged: 0, refused: 0 };
      for (const id of await repo.visitsToCharge(db, now(), limit)) {
        const r = await this.chargeVisit(id).catch((err) => {
          deps.log.warn({ err, bookingId: id }, 'visit charge failed; next run tries again');
          return 'later' as const;
        });
        if (r === 'charged') out.charged++;
        if (r === 'refused') out.refused++;
      }
      if (out.charged || out.refused) deps.wake?.();
      return out;
    },

    /**
     * Charges one visit: the attempt is written first (so a crash after Stripe answered finds it and
     * asks again with the same idempotency key, getting the same answer), then settled like a
     * Checkout payment (ledger entry, booking paid) or, refused, the client is emailed a link to
     * pay on-session. A client without a card is asked to pay the same way.
     */
    async chargeVisit(bookingId: string): Promise<'charged' | 'refused' | 'skipped'> {
      const attempt = await db.transaction(async (tx) => {
        const b = await lockBooking(tx, bookingId);
        if (!b || b.state !== 'accepted' || !b.seriesId) return null;
        const existing = await repo.paymentsOfBooking(tx, bookingId);
        const mine = existing.find((p) => p.checkoutSessionId === visitChargeSession(bookingId));
        // One attempt per visit; a visit paid otherwise is not charged.
        if ((mine && mine.status !== 'open') || existing.some((p) => p !== mine && p.status !== 'open' && p.status !== 'expired')) return null;
        // An attempt under a minute old is still waiting for Stripe's answer in another worker.
        if (mine && Date.now() - mine.createdAt.getTime() < 60_000) return null; // wall time, not the business clock
        // A Checkout the client opened and left is closed, so the card pays; one being paid right now wins.
        for (const p of existing) {
          if (p === mine || p.status !== 'open' || !p.checkoutUrl) continue;
          if ((await gateway.expireCheckout(p.checkoutSessionId)) === 'complete') return null;
          await repo.updatePayment(tx, p.id, { status: 'expired' });
        }
        const account = await repo.paymentAccount(tx, b.coopId);
        if (!account?.chargesEnabled || !account.stripeAccountId) return null;
        const customer = await repo.paymentCustomer(tx, b.clientId);
        const bd = priceBreakdown(b.priceCents, b.feeRateBps, taxesOf(account));
        const payment = mine ?? await repo.insertPayment(tx, {
          bookingId, coopId: b.coopId, status: 'open', checkoutSessionId: visitChargeSession(bookingId), checkoutUrl: '', savedCardId: customer?.paymentMethodId ?? null,
          serviceCents: bd.serviceCents, gstCents: bd.gstCents, qstCents: bd.qstCents, totalCents: bd.totalCents,
          feeRateBps: bd.feeRateBps, platformFeeCents: bd.platformFeeCents, coopCents: bd.coopCents,
        });
        // A retry asks again with the card of the first try (and its key): never a second charge on another card.
        const cardId = payment.savedCardId ?? customer?.paymentMethodId;
        if (!customer || !cardId) {
          await repo.updatePayment(tx, payment.id, { status: 'expired', lastError: 'no_saved_card' });
          await notifyClient(tx, b, 'payment_needed', null);
          return null;
        }
        return { payment, customer, cardId, destination: account.stripeAccountId, b };
      });
      if (!attempt) return 'skipped';
      const { payment, customer, cardId, destination, b } = attempt;
      const result = await gateway.chargeSavedCard({
        idempotencyKey: `visit-charge:${payment.id}`, customerId: customer.stripeCustomerId, paymentMethodId: cardId,
        amountCents: payment.totalCents, applicationFeeCents: payment.platformFeeCents, destination,
        description: `Tissu — visit ${b.seriesDate}`, metadata: { bookingId, paymentId: payment.id },
      });
      const outcome = await db.transaction(async (tx) => {
        if (result.ok) {
          const paid = await deps.checkout.markPaid(tx, { paymentId: payment.id }, {
            source: `stripe:${result.paymentIntentId}`, checkoutSessionId: null, paymentIntentId: result.paymentIntentId,
            amountCents: result.amountCents, currency: result.currency, succeeded: result.status === 'succeeded', metadata: { bookingId, paymentId: payment.id },
          });
          // The visit ended while Stripe's answer was awaited (cancelled once the wait was over): the money goes back.
          if (paid?.status === 'to_return') return 'return' as const;
          // Stripe's webhook for this charge may have settled it a moment before: paid either way.
          const settled = paid ?? (await repo.findPayment(tx, payment.id));
          return settled?.status === 'paid' ? ('charged' as const) : ('skipped' as const);
        }
        const p = await repo.lockPayment(tx, { id: payment.id });
        if (p?.status !== 'open') return 'skipped' as const;
        const why = result.declineCode && result.declineCode !== result.code ? `${result.code}:${result.declineCode}` : result.code;
        await repo.updatePayment(tx, payment.id, { status: 'expired', lastError: why, paymentIntentId: result.paymentIntentId });
        const locked = await lockBooking(tx, bookingId);
        // The visit's own history says its card was refused, and why, beside the email that asks her to pay.
        if (locked) await insertEvent(tx, { bookingId, actorId: null, actorRole: 'system', kind: 'charge_failed', fromState: locked.state, toState: locked.state, reason: why });
        if (locked?.state === 'accepted') await notifyClient(tx, locked, 'charge_failed', why);
        return 'refused' as const;
      });
      if (outcome !== 'return') return outcome;
      await late.returnPayment(payment.id);
      return 'skipped';
    },
  };
}

export type SavedCards = ReturnType<typeof createSavedCards>;
