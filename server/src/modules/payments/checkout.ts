import type { PaymentSummary } from '@tissu/shared';
import { depositSplit, isFinal, priceBreakdown, type TaxRegistration } from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import { requireActor, requireVerifiedEmail, type Actor } from '../../actor.js';
import { conflict, forbidden, HttpError, notFound } from '../../errors.js';
import type { PaymentGateway } from '../../plugins/stripe.js';
import { applyTransition, coopAcceptedAt, lockBooking, maySeeAmounts, notifyClient, viewerOf, viewerView, workersOf, type BookingRow } from '../bookings/index.js';
import { keptBeforePayment, keptOnCancellation, refundPreviewParts, remainingService } from './refunds.js';
import { bookPayment, bookProcessorFee } from './ledger-entries.js';
import { booksDate } from '../../lib/calendar.js';
import { gatewayDown } from '../../lib/gateway.js';
import { customerOf } from './customers.js';
import * as repo from './repository.js';

export interface CheckoutDeps {
  db: Db;
  gateway: PaymentGateway;
  webOrigin: string;
  log: { warn(o: object, m: string): void; error(o: object, m: string): void };
  now?: () => Date;
}

export const taxesOf = (a: repo.PaymentAccountRow | undefined) => ({ gst: a?.gstRegistered ?? false, qst: a?.qstRegistered ?? false });

/**
 * The taxes a booking is paid with: a quote's booking keeps those its accepted offer showed (frozen
 * at acceptance, so a change of registration before payment does not reprice it); any other booking
 * is taxed by the co-op's registration when it is paid, as its pay page shows.
 */
export const taxesFor = (b: Pick<BookingRow, 'gstRegistered' | 'qstRegistered'>, a: repo.PaymentAccountRow | undefined): TaxRegistration =>
  b.gstRegistered !== null && b.qstRegistered !== null ? { gst: b.gstRegistered, qst: b.qstRegistered } : taxesOf(a);

/**
 * How long a charge of the saved card whose answer never came (Stripe unreachable, a worker that
 * died) holds back the cancel and the expiry of its visit. Stripe's SDK gives up within a minute and
 * the charge job asks again with the same key every five, so after ten minutes the answer is not
 * near: Stripe is asked what became of the charge, and when it cannot say, the visit may end
 * anyway; money that lands later is returned in full when it arrives (markPaid, late-payments.ts).
 */
export const CHARGE_ANSWER_WAIT_MS = 10 * 60_000;

/**
 * Before an unpaid booking expires or is cancelled, its open Checkout is closed at Stripe, in the
 * caller's transaction: otherwise the client could still pay a booking that no longer exists.
 * False when Stripe says the session was paid first (its webhook is on the way): the booking is
 * about to be paid and must not be ended as unpaid.
 */
export async function closeOpenCheckouts(tx: Tx, gateway: PaymentGateway, bookingId: string): Promise<boolean> {
  for (const p of await repo.paymentsOfBooking(tx, bookingId)) {
    if (p.status !== 'open') continue;
    if (!p.checkoutUrl) {
      // Open without a URL: a charge of the saved card under way, or one whose answer was lost.
      if (!(await chargeLeftUnanswered(tx, gateway, p))) return false;
      continue;
    }
    const ended = await gateway.expireCheckout(p.checkoutSessionId).catch((err) => { throw gatewayDown(err); });
    if (ended === 'complete') return false;
    await repo.updatePayment(tx, p.id, { status: 'expired' });
  }
  return true;
}

/**
 * A saved-card charge still open: true (and the attempt closed) when the visit may end without it.
 * A recent one is waited for (wall time: how long Stripe has had, not the business clock). An older
 * one is looked up at Stripe: taken, it is waited for (the job or the webhook records it within
 * minutes); refused or never made, the attempt ends; Stripe unreachable, it ends as `outcome_unknown`.
 */
async function chargeLeftUnanswered(tx: Tx, gateway: PaymentGateway, p: repo.PaymentRow): Promise<boolean> {
  if (Date.now() - p.createdAt.getTime() < CHARGE_ANSWER_WAIT_MS) return false;
  const customerId = await repo.customerOfBooking(tx, p.bookingId);
  const found = customerId ? await gateway.findSavedCardCharge(customerId, p.id).catch(() => 'unknown' as const) : null;
  if (found === 'unknown') {
    await repo.updatePayment(tx, p.id, { status: 'expired', lastError: 'outcome_unknown' });
    return true;
  }
  if (found && (found.status === 'succeeded' || found.status === 'processing')) return false;
  await repo.updatePayment(tx, p.id, { status: 'expired', lastError: found?.error ?? 'not_charged', paymentIntentId: found?.paymentIntentId ?? p.paymentIntentId });
  return true;
}

type Part = repo.PaymentRow['part'];
const SETTLED = ['paid', 'partially_refunded', 'refunded'];

/**
 * The part of a booking to pay now: all of it (a booking paid at once, accepted and unpaid); or, for
 * an accepted quote with a deposit, the deposit while it is accepted, then the balance once completed
 * (charged to the saved card; paid here when that failed). Null: nothing to pay.
 */
export async function partDue(tx: Tx, b: BookingRow, taxes: TaxRegistration): Promise<Part | null> {
  const settled = (await repo.paymentsOfBooking(tx, b.id)).filter((p) => SETTLED.includes(p.status));
  if (b.depositPercent === 0) return b.state === 'accepted' && settled.length === 0 ? 'full' : null;
  if (b.state === 'accepted') return settled.length === 0 ? 'deposit' : null;
  if (b.state !== 'completed' || !settled.some((p) => p.part === 'deposit') || settled.some((p) => p.part === 'balance')) return null;
  return partAmounts(b, taxes, 'balance').totalCents > 0 ? 'balance' : null;
}

/** What one part costs, line by line (deposit + balance = the whole, part by part: shared/quote/offer.ts). */
export function partAmounts(b: Pick<BookingRow, 'priceCents' | 'feeRateBps' | 'depositPercent'>, taxes: TaxRegistration, part: Part) {
  const whole = priceBreakdown(b.priceCents, b.feeRateBps, taxes);
  if (part === 'full') return whole;
  const p = depositSplit(whole, b.depositPercent)[part];
  return { ...p, feeRateBps: whole.feeRateBps, coopCents: p.totalCents - p.platformFeeCents };
}

/** What a Stripe event says was paid, read from the session or the payment intent it carries. */
export interface PaidClaim {
  /** `stripe:<event id>`, kept on the ledger entry. */
  source: string;
  /** The Checkout session's id, for checkout.session.completed. */
  checkoutSessionId: string | null;
  paymentIntentId: string | null;
  amountCents: unknown;
  currency: unknown;
  /** Stripe's word that the money was taken: payment_status 'paid' or status 'succeeded'. */
  succeeded: boolean;
  metadata: Record<string, string>;
}

/** Every way the claim differs from the payment it names; empty when it may settle it. */
export function claimMismatches(p: repo.PaymentRow, c: PaidClaim): string[] {
  const out: string[] = [];
  if (!c.succeeded) out.push('not paid');
  if (c.amountCents !== p.totalCents) out.push(`amount ${String(c.amountCents)} instead of ${p.totalCents}`);
  if (typeof c.currency !== 'string' || c.currency.toLowerCase() !== 'cad') out.push(`currency ${String(c.currency)} instead of cad`);
  if (c.metadata.bookingId !== p.bookingId) out.push(`booking ${String(c.metadata.bookingId)} instead of ${p.bookingId}`);
  if (c.metadata.paymentId !== undefined && c.metadata.paymentId !== p.id) out.push(`payment ${c.metadata.paymentId} instead of ${p.id}`);
  if (c.checkoutSessionId !== null && c.checkoutSessionId !== p.checkoutSessionId) out.push(`session ${c.checkoutSessionId} instead of ${p.checkoutSessionId}`);
  if (c.paymentIntentId && p.paymentIntentId && c.paymentIntentId !== p.paymentIntentId) out.push(`payment intent ${c.paymentIntentId} instead of ${p.paymentIntentId}`);
  return out;
}

/** Paying, and what happens when Stripe says a payment went through. */
export function createCheckoutService(deps: CheckoutDeps) {
  const { db, gateway } = deps;
  const now = () => deps.now?.() ?? new Date();

  async function visibleBooking(actor: Actor, bookingId: string) {
    const row = await repo.bookingForPayment(db, bookingId);
    if (!row) throw notFound('Booking');
    // As for the booking itself: a worker-member sees only the bookings they are assigned to.
    const viewer = viewerView(await viewerOf(db, actor, row.booking), await workersOf(db, [bookingId]));
    if (!maySeeAmounts(viewer)) throw notFound('Booking');
    return { ...row, isClient: viewer.isClient };
  }

  /**
   * Payment succeeded: payment row, booking → paid and the ledger entries, in one transaction; or,
   * when the booking no longer waits for it, the payment `to_return` (see below). Returns the payment
   * settled by this event, null when it changed nothing.
   * Only when what the event says was paid is what this payment asked for (see `claimMismatches`):
   * a signed event can still be a replay of another booking's, or forged with a leaked secret.
   */
  async function markPaid(tx: Tx, where: { paymentId?: string; checkoutSessionId?: string }, claim: PaidClaim) {
    const p = where.paymentId ? await repo.lockPayment(tx, { id: where.paymentId }) : await repo.lockPayment(tx, { checkoutSessionId: where.checkoutSessionId });
    if (!p) return null;
    const mismatches = claimMismatches(p, claim);
    // A payment intent pays one payment: another's (a replayed or copied event) settles nothing here.
    const owner = claim.paymentIntentId ? await repo.paymentOfIntent(tx, claim.paymentIntentId) : undefined;
    if (owner && owner.id !== p.id) mismatches.push(`payment intent ${claim.paymentIntentId} already paid payment ${owner.id}`);
    if (mismatches.length > 0) {
      // Acknowledged to Stripe (a retry would say the same) and kept in stripe_events; nothing changes.
      deps.log.error({ paymentId: p.id, bookingId: p.bookingId, source: claim.source, mismatches }, 'payment event refused: it does not match the payment');
      return null;
    }
    const paymentIntentId = claim.paymentIntentId;
    if (p.status !== 'open' && p.status !== 'expired') {
      // Already settled by the other event of the pair (checkout.session.completed / payment_intent.succeeded).
      if (!p.paymentIntentId && paymentIntentId) await repo.updatePayment(tx, p.id, { paymentIntentId });
      return null;
    }
    const paidAt = now();
    const b = await lockBooking(tx, p.bookingId);
    if (p.part === 'balance' && b?.state === 'completed' && !(await repo.paymentsOfBooking(tx, p.bookingId)).some((o) => o.part === 'balance' && SETTLED.includes(o.status))) {
      // The balance of a completed booking: receipted and booked, the booking's state does not move.
      const receiptNumber = await repo.nextReceiptNumber(tx, Number(booksDate(paidAt).slice(0, 4)));
      const paid = await repo.updatePayment(tx, p.id, { status: 'paid', paidAt, receiptNumber, paymentIntentId: paymentIntentId ?? p.paymentIntentId, lastError: null });
      await bookPayment(tx, paid, claim.source);
      // "Solde reçu", once per booking (the outbox's key), whether the card paid it or she did on-session.
      await notifyClient(tx, b, 'balance_paid', null);
      return paid;
    }
    if (p.part === 'balance' || b?.state !== 'accepted' || (await repo.settledPayment(tx, p.bookingId))) {
      // The money arrived for a booking that is no longer waiting for it (it expired or was cancelled
      // meanwhile, or another payment paid it): it is booked as received and owed back in full. The
      // refund is made after the commit (a refund at Stripe cannot be rolled back with this
      // transaction), or by the job when Stripe does not answer then (late-payments.ts).
      deps.log.warn({ bookingId: p.bookingId, paymentId: p.id, state: b?.state }, 'payment received for a booking that is not awaiting payment: returned in full');
      const owed = await repo.updatePayment(tx, p.id, { status: 'to_return', paidAt, paymentIntentId: paymentIntentId ?? p.paymentIntentId, lastError: null });
      await bookPayment(tx, owed, claim.source);
      return owed;
    }
    const receiptNumber = await repo.nextReceiptNumber(tx, Number(booksDate(paidAt).slice(0, 4)));
    const paid = await repo.updatePayment(tx, p.id, { status: 'paid', paidAt, receiptNumber, paymentIntentId: paymentIntentId ?? p.paymentIntentId, lastError: null });
    await bookPayment(tx, paid, claim.source);
    await applyTransition(tx, now(), null, b, 'paid', null);
    return paid;
  }

  /**
   * A payment row and its Stripe Checkout session, in the caller's transaction. When Stripe fails the
   * attempt is kept as expired with the error (so the pay page can say what happened) and the error
   * is returned rather than thrown, which would roll that record back.
   */
  async function openCheckout(
    tx: Tx, row: Awaited<ReturnType<typeof visibleBooking>>, b: BookingRow, destination: string, taxes: { gst: boolean; qst: boolean }, part: Part = 'full',
  ): Promise<{ url: string } | { error: unknown }> {
    const bd = partAmounts(b, taxes, part);
    const payment = await repo.insertPayment(tx, {
      bookingId: b.id, coopId: b.coopId, status: 'open', checkoutSessionId: `pending:${b.id}:${Date.now()}`, checkoutUrl: '', part,
      serviceCents: bd.serviceCents, gstCents: bd.gstCents, qstCents: bd.qstCents, totalCents: bd.totalCents,
      feeRateBps: bd.feeRateBps, platformFeeCents: bd.platformFeeCents, coopCents: bd.coopCents,
    });
    const title = row.locale === 'en' ? row.titleEn : row.titleFr;
    const partName = part === 'full' ? '' : row.locale === 'en'
      ? (part === 'deposit' ? ` (deposit ${b.depositPercent}%)` : ' (balance)')
      : (part === 'deposit' ? ` (acompte ${b.depositPercent} %)` : ' (solde)');
    const lines = [
      { name: `${title} — ${row.coopName}${partName}`, amountCents: bd.serviceCents },
      ...(bd.gstCents ? [{ name: row.locale === 'en' ? 'GST (5%)' : 'TPS (5 %)', amountCents: bd.gstCents }] : []),
      ...(bd.qstCents ? [{ name: row.locale === 'en' ? 'QST (9.975%)' : 'TVQ (9,975 %)', amountCents: bd.qstCents }] : []),
    ];
    // Stripe Checkout sessions live at least 30 minutes and at most 24 hours.
    const deadline = Math.min((part === 'balance' ? null : b.expiresAt ?? null)?.getTime() ?? Date.now() + 86_400_000, Date.now() + 23 * 3_600_000);
    try {
      // A visit of a series: the card it is paid with is kept for the next visits (the person is told
      // on Checkout and in the email); a single booking keeps nothing.
      // So is a quote's deposit: the balance is charged to that card when the work is completed.
      const saveCardFor = b.seriesId || part === 'deposit' ? { customerId: (await customerOf(tx, gateway, b.clientId)).stripeCustomerId } : undefined;
      const session = await gateway.createCheckout({
        idempotencyKey: `checkout:${payment.id}`,
        paymentId: payment.id,
        bookingId: b.id,
        destination,
        lines,
        applicationFeeCents: bd.platformFeeCents,
        customerEmail: row.clientEmail,
        saveCardFor,
        successUrl: `${deps.webOrigin}/bookings/${b.id}/receipt?paid=1`,
        cancelUrl: `${deps.webOrigin}/bookings/${b.id}/pay?cancelled=1`,
        expiresAt: new Date(Math.max(deadline, Date.now() + 31 * 60_000)),
      });
      await repo.updatePayment(tx, payment.id, { checkoutSessionId: session.id, checkoutUrl: session.url });
      return { url: session.url };
    } catch (err) {
      await repo.updatePayment(tx, payment.id, { status: 'expired', lastError: String((err as Error).message).slice(0, 300) });
      return { error: err instanceof HttpError ? err : gatewayDown(err) };
    }
  }

  return {
    markPaid,

    async summary(actor: Actor | null, bookingId: string): Promise<PaymentSummary> {
      const a = requireActor(actor);
      const { booking: b, coopName, isClient } = await visibleBooking(a, bookingId);
      const account = await repo.paymentAccount(db, b.coopId);
      const attempts = await repo.paymentsOfBooking(db, bookingId);
      // Newest first: the first settled one found last is the booking's first payment (its deposit, when in two parts).
      const settledParts = attempts.filter((p) => SETTLED.includes(p.status));
      const settled = settledParts.at(-1);
      const partOf = new Map(settledParts.map((p) => [p.id, p.part]));
      const refundedCents = settledParts.reduce((s, p) => s + p.refundedCents, 0);
      const paidCents = settledParts.reduce((s, p) => s + p.totalCents, 0);
      const open = attempts.find((p) => p.status === 'open');
      const parted = b.depositPercent > 0;
      // In two parts, the receipt's breakdown is the whole price; its installments say what each part paid.
      const taxes = taxesFor(b, account);
      const breakdown = settled && !parted
        ? { serviceCents: settled.serviceCents, gstCents: settled.gstCents, qstCents: settled.qstCents, totalCents: settled.totalCents, feeRateBps: settled.feeRateBps, platformFeeCents: settled.platformFeeCents, coopCents: settled.coopCents }
        : priceBreakdown(b.priceCents, b.feeRateBps, taxes);
      // What paying now charges (the pay page's button): the part owed now, as checkout works it out.
      const dueNowPart = await partDue(db, b, taxes);
      const due = parted ? dueNowPart : null;
      // A paid booking's receipt lists its payments' refunds (each part's); money paid late and returned
      // is its own matter (its email), shown only on a booking that was never paid otherwise.
      const refunds = (await repo.refundsOfBooking(db, bookingId)).filter((r) => !settled || partOf.has(r.paymentId));
      // What a late cancellation by the client keeps of the service (one at the start is always late);
      // in two parts, before anything is paid, at most what the deposit will have paid.
      const lateKept = Math.min(keptOnCancellation(b, 'client', b.startsAt, null), parted ? partAmounts(b, taxes, 'deposit').serviceCents : b.priceCents);
      const blocker = due ? (!account?.chargesEnabled ? 'coop_not_ready' as const : open && !open.checkoutUrl ? 'charging' as const : null)
        : settled ? null
        : b.state !== 'accepted' ? (b.state === 'requested' ? 'awaiting_acceptance' as const : 'not_payable' as const)
        : !account?.chargesEnabled ? 'coop_not_ready' as const
        : open && !open.checkoutUrl ? 'charging' as const
        : null;
      return {
        bookingId,
        bookingState: b.state,
        breakdown,
        // In two parts, the parts together: refunded once all they took went back.
        status: settled ? (refundedCents === 0 ? 'paid' : refundedCents >= paidCents ? 'refunded' : 'partially_refunded') : open ? 'open' : 'unpaid',
        payable: parted ? due !== null && blocker === null : blocker === null && !settled,
        blocker,
        paymentDeadline: b.state === 'accepted' ? (b.expiresAt?.toISOString() ?? null) : null,
        paidAt: settled?.paidAt?.toISOString() ?? null,
        lastError: open?.lastError ?? null,
        refundedCents,
        refundableServiceCents: settled ? await remainingService(db, bookingId) : 0,
        refunds: refunds.map((r) => ({
          id: r.id, kind: r.kind, part: partOf.get(r.paymentId) ?? 'full', totalCents: r.totalCents, serviceCents: r.serviceCents, gstCents: r.gstCents, qstCents: r.qstCents,
          platformFeeCents: r.platformFeeCents, reason: r.reason, createdAt: r.createdAt.toISOString(),
        })),
        coop: { name: coopName, gstNumber: account?.gstNumber ?? null, qstNumber: account?.qstNumber ?? null },
        receiptNumber: settled?.receiptNumber ?? null,
        lines: b.quoteId ? (await repo.acceptedOfferLines(db, b.quoteId)).map((l) => ({ label: l.label, quantity: l.quantity, unitPriceCents: l.unitPriceCents, amountCents: l.amountCents })) : [],
        // What the cancel form says, by the same code as the refund a cancellation makes.
        cancelNow: settled && b.state === 'paid'
          ? await refundPreviewParts(db, bookingId, keptOnCancellation(b, isClient ? 'client' : 'coop', now(), await coopAcceptedAt(db, bookingId)))
          : null,
        lateCancellation: (settled && (await refundPreviewParts(db, bookingId, lateKept))?.kept)
          || keptBeforePayment(breakdown, lateKept, taxes),
        dueNowPart,
        dueNowCents: dueNowPart ? partAmounts(b, taxes, dueNowPart).totalCents : 0,
        installments: parted ? (['deposit', 'balance'] as const).map((part) => {
          const mine = attempts.filter((p) => p.part === part);
          const paid = mine.find((p) => SETTLED.includes(p.status));
          const amounts = paid ?? partAmounts(b, taxes, part);
          const last = mine[0];
          // A part never paid is no longer owed once the booking ended otherwise than completed (cancelled, no-show, ...).
          const ended = isFinal(b.state) && b.state !== 'completed';
          const status = paid ? (paid.status as 'paid' | 'partially_refunded' | 'refunded') : ended ? 'not_owed' as const
            : last?.status === 'open' ? 'open' as const : last?.lastError ? 'failed' as const : 'due' as const;
          return {
            part, status, serviceCents: amounts.serviceCents, gstCents: amounts.gstCents, qstCents: amounts.qstCents, totalCents: amounts.totalCents,
            platformFeeCents: amounts.platformFeeCents, refundedCents: paid?.refundedCents ?? 0, paidAt: paid?.paidAt?.toISOString() ?? null, receiptNumber: paid?.receiptNumber ?? null, lastError: paid ? null : last?.lastError ?? null,
          };
        }) : [],
      };
    },

    /**
     * Opens (or reopens) Stripe Checkout for an accepted booking; only its client pays. The booking
     * row stays locked until the session exists, so two clicks (or two tabs) get the same session.
     */
    async checkout(actor: Actor | null, bookingId: string): Promise<{ url: string }> {
      const a = requireVerifiedEmail(actor);
      const row = await visibleBooking(a, bookingId);
      if (!row.isClient) throw forbidden('Only the client who booked can pay');
      const result = await db.transaction(async (tx) => {
        const b = await lockBooking(tx, bookingId);
        if (!b) throw notFound('Booking');
        const account = await repo.paymentAccount(tx, b.coopId);
        const part = await partDue(tx, b, taxesFor(b, account));
        if (!part && (b.state === 'paid' || (await repo.settledPayment(tx, bookingId)))) throw conflict('This booking is already paid', 'already_paid');
        if (!part) throw conflict('Only an accepted booking can be paid', 'not_payable');
        if (!account?.chargesEnabled || !account.stripeAccountId) throw conflict('The co-op cannot take payments yet', 'coop_not_ready');
        const open = (await repo.paymentsOfBooking(tx, bookingId)).find((p) => p.status === 'open');
        if (open && !open.checkoutUrl) throw conflict('The saved card is being charged for this visit: refresh in a moment', 'payment_in_progress');
        if (open) return { url: open.checkoutUrl };
        return openCheckout(tx, row, b, account.stripeAccountId, taxesFor(b, account), part);
      });
      if ('error' in result) throw result.error;
      return result;
    },

    /**
     * Payments still without Stripe's fee or transfer id (Stripe was slow or unreachable right after
     * the payment): asked again, oldest first. Run every few minutes by the job worker.
     */
    async fillMissingChargeDetails(limit = 50): Promise<{ filled: number; failed: number }> {
      let filled = 0;
      let failed = 0;
      for (const id of await repo.paymentsMissingChargeDetails(db, new Date(now().getTime() - 30_000), limit)) {
        try {
          await this.recordChargeDetails(id);
          filled += 1;
        } catch (err) {
          failed += 1;
          deps.log.warn({ err, paymentId: id }, 'charge details still unavailable');
        }
      }
      return { filled, failed };
    },

    /** After a payment: the transfer id and Stripe's fee, fetched outside the event's transaction. */
    async recordChargeDetails(paymentId: string): Promise<void> {
      const p = await repo.findPayment(db, paymentId);
      if (!p?.paymentIntentId || (p.processorFeeCents !== null && p.transferId !== null)) return;
      const details = await gateway.chargeDetails(p.paymentIntentId);
      await db.transaction(async (tx) => {
        const locked = await repo.lockPayment(tx, { id: paymentId });
        if (!locked) return;
        if (locked.transferId === null && details.transferId) await repo.updatePayment(tx, paymentId, { transferId: details.transferId });
        if (locked.processorFeeCents !== null || details.processorFeeCents === null) return;
        const updated = await repo.updatePayment(tx, paymentId, { processorFeeCents: details.processorFeeCents });
        await bookProcessorFee(tx, updated, details.processorFeeCents);
      });
    },
  };
}

export type CheckoutService = ReturnType<typeof createCheckoutService>;
export type { BookingRow };
