import { z } from 'zod';
import type { Db, Tx } from '@tissu/db';
import type { GatewayEvent } from '../../plugins/stripe.js';
import { expireShareApplication, settleSharePayment } from '../membership/index.js';
import type { CheckoutService } from './checkout.js';
import type { SavedCards } from './saved-cards.js';
import * as repo from './repository.js';

type Obj = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** Stripe's ids (`evt_…`): the key that makes a redelivery change nothing. */
const EventId = z.string().regex(/^[A-Za-z0-9_-]{1,255}$/);
/** Ours, put there at checkout: the ids must be ids (they reach uuid columns), every value a string. */
const Metadata = z.object({ paymentId: z.guid().optional(), membershipApplicationId: z.guid().optional(), tipId: z.guid().optional() }).catchall(z.string()).nullish();
const Identified = z.looseObject({ id: z.string().min(1), metadata: Metadata });
/** The fields each event we act on is read for; any other type only needs an object. */
const objectOf: Record<string, z.ZodType<Obj>> = {
  'checkout.session.completed': Identified,
  'checkout.session.expired': Identified,
  'payment_intent.succeeded': Identified,
  'payment_intent.payment_failed': Identified,
  'account.updated': Identified.extend({
    requirements: z.looseObject({ currently_due: z.array(z.string()).nullish(), past_due: z.array(z.string()).nullish() }).nullish(),
  }),
};
const AnyObject = z.record(z.string(), z.unknown());
/** Unix seconds, as Stripe writes them. */
const Created = z.int().positive().max(253_402_300_799);

export interface StripeEvent {
  id: string;
  type: string;
  /** When Stripe created it; null when the event did not say (only account events need it). */
  created: Date | null;
  object: Obj & { id?: string; metadata?: { paymentId?: string; membershipApplicationId?: string; tipId?: string; [key: string]: string | undefined } | null };
}

/** The tips module's part of the webhook (handed in by the route, so payments does not depend on tips). */
export interface TipEvents {
  /** Applies a Stripe event about a tip in the event's transaction; true when it settled one. */
  onTipEvent(tx: Tx, e: StripeEvent, tipId: string): Promise<boolean>;
}

/**
 * Reads a verified event. `no_id`: it cannot be deduplicated (refused, Stripe may retry);
 * `malformed`: a shape we cannot use (acknowledged without effect: a retry would be the same).
 */
export function readEvent(e: GatewayEvent): { ok: true; event: StripeEvent } | { ok: false; problem: 'no_id' | 'malformed'; reason: string } {
  if (!EventId.safeParse(e.id).success) return { ok: false, problem: 'no_id', reason: 'the event id is missing or not an id' };
  const type = z.string().min(1).max(255).safeParse(e.type);
  if (!type.success) return { ok: false, problem: 'malformed', reason: 'the event type is missing or not a string' };
  const created = Created.safeParse(e.created);
  if (!created.success && type.data === 'account.updated') return { ok: false, problem: 'malformed', reason: 'created: an account event must say when it was created' };
  const object = (objectOf[type.data] ?? AnyObject).safeParse(e.object);
  if (!object.success) {
    const issue = object.error.issues[0]!;
    return { ok: false, problem: 'malformed', reason: `data.object${issue.path.map((k) => `.${String(k)}`).join('')}: ${issue.message}` };
  }
  return { ok: true, event: { id: e.id as string, type: type.data, created: created.success ? new Date(created.data * 1000) : null, object: object.data as StripeEvent['object'] } };
}

const meta = (o: StripeEvent['object']) => o.metadata ?? {};

export interface EventResult {
  duplicate: boolean;
  /** A payment settled by this event: its charge details are fetched after the commit. */
  settledPaymentId?: string;
  /** Money this event brought for a booking no longer waiting for it: refunded after the commit. */
  returnPaymentId?: string;
  wake: boolean;
  /** A qualifying share paid by someone already a member or no longer eligible: the money is owed back (stewards refund it). */
  unappliedShareId?: string;
  /** A qualifying share paid by this event: Stripe's fee on it is read after the commit. */
  settledShareId?: string;
  /** A tip paid by this event: Stripe's fee on it is read after the commit. */
  settledTipId?: string;
  /** A share event whose amount or currency is not the share's: nothing changed. */
  refusedShareId?: string;
}

/** What markPaid's answer asks of the route after the commit. */
const settled = (p: repo.PaymentRow | null): EventResult => ({
  duplicate: false, settledPaymentId: p?.id, wake: p?.status === 'paid', ...(p?.status === 'to_return' ? { returnPaymentId: p.id } : {}),
});

/**
 * Applies one verified Stripe event. The event id is recorded in the same transaction as its
 * effect, so a redelivery changes nothing; states only move forward, so events arriving out of
 * order (payment_intent.succeeded before checkout.session.completed, say) end in the same place.
 */
export async function handleEvent(db: Db, checkout: CheckoutService, e: StripeEvent, cards?: Pick<SavedCards, 'recordSetup' | 'recordPaidCard'>, tips?: TipEvents): Promise<EventResult> {
  return db.transaction(async (tx) => {
    if (!(await repo.recordEvent(tx, e.id, e.type))) return { duplicate: true, wake: false };
    const o = e.object;
    const tipId = meta(o).tipId;
    if (tipId && tips) {
      const paid = await tips.onTipEvent(tx, e, tipId);
      return { duplicate: false, wake: paid, ...(paid ? { settledTipId: tipId } : {}) };
    }
    const shareId = meta(o).membershipApplicationId;
    if (shareId && (e.type === 'checkout.session.completed' || e.type === 'payment_intent.succeeded')) {
      // A qualifying share paid to the platform: either event of the pair creates the membership, once.
      if (e.type === 'checkout.session.completed' && o.payment_status !== 'paid') return { duplicate: false, wake: false };
      const pi = e.type === 'payment_intent.succeeded' ? (o.id as string) : str(o.payment_intent);
      const amountCents = e.type === 'payment_intent.succeeded' ? (o.amount_received ?? o.amount) : o.amount_total;
      const settled = await settleSharePayment(tx, shareId, pi, new Date(), { amountCents, currency: o.currency });
      return {
        duplicate: false, wake: false,
        ...(settled === 'mismatch' ? { refusedShareId: shareId } : {}),
        ...(settled === 'member' || settled === 'unapplied' ? { settledShareId: shareId } : {}),
        ...(settled === 'unapplied' ? { unappliedShareId: shareId } : {}),
      };
    }
    switch (e.type) {
      case 'checkout.session.completed': {
        // A card saved for regular visits (setup mode): nothing is paid, the card is recorded.
        if (o.mode === 'setup') return { duplicate: false, wake: Boolean(await cards?.recordSetup(tx, { customer: o.customer, setup_intent: o.setup_intent })) };
        if (o.payment_status !== 'paid') return { duplicate: false, wake: false };
        const paid = await checkout.markPaid(tx, { paymentId: meta(o).paymentId, checkoutSessionId: o.id as string }, {
          source: `stripe:${e.id}`, checkoutSessionId: str(o.id), paymentIntentId: str(o.payment_intent),
          amountCents: o.amount_total, currency: o.currency, succeeded: o.payment_status === 'paid', metadata: meta(o) as Record<string, string>,
        });
        // A visit of a series paid on-session: its card is kept for the next visits, by the event that settled it.
        if (paid?.status === 'paid') await cards?.recordPaidCard(tx, paid);
        return settled(paid);
      }
      case 'payment_intent.succeeded': {
        const paymentId = meta(o).paymentId;
        if (!paymentId) return { duplicate: false, wake: false };
        const paid = await checkout.markPaid(tx, { paymentId }, {
          source: `stripe:${e.id}`, checkoutSessionId: null, paymentIntentId: str(o.id),
          amountCents: o.amount_received ?? o.amount, currency: o.currency, succeeded: o.status === 'succeeded', metadata: meta(o) as Record<string, string>,
        });
        if (paid?.status === 'paid') await cards?.recordPaidCard(tx, paid);
        return settled(paid);
      }
      case 'payment_intent.payment_failed': {
        const paymentId = meta(o).paymentId;
        const p = paymentId ? await repo.lockPayment(tx, { id: paymentId }) : undefined;
        if (p?.status === 'open') {
          const err = (o.last_payment_error ?? {}) as Obj;
          await repo.updatePayment(tx, p.id, { lastError: str(err.message) ?? str(err.code) ?? 'The card was declined' });
        }
        return { duplicate: false, wake: false };
      }
      case 'checkout.session.expired': {
        const p = await repo.lockPayment(tx, { checkoutSessionId: o.id as string });
        if (p?.status === 'open') await repo.updatePayment(tx, p.id, { status: 'expired' });
        else if (!p) await expireShareApplication(tx, o.id as string);
        return { duplicate: false, wake: false };
      }
      case 'account.updated': {
        const req = (o.requirements ?? {}) as { currently_due?: string[]; past_due?: string[] };
        // Stripe may deliver an older event after a newer one: only a status at least as recent as
        // the one kept applies (readEvent made sure `created` is there). Not re-read from Stripe
        // instead: that would put a call to Stripe, and its outages, in every webhook.
        await repo.updateAccountByStripeId(tx, o.id as string, e.created!, {
          chargesEnabled: Boolean(o.charges_enabled),
          payoutsEnabled: Boolean(o.payouts_enabled),
          detailsSubmitted: Boolean(o.details_submitted),
          requirementsDue: [...(req.currently_due ?? []), ...(req.past_due ?? [])],
        });
        return { duplicate: false, wake: false };
      }
      default:
        // charge.refunded and others: refunds are made by Tissu and booked when made; the
        // reconciliation job compares Stripe's refunded amounts with ours.
        return { duplicate: false, wake: false };
    }
  });
}
