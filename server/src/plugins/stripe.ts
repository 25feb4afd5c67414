import fp from 'fastify-plugin';
import Stripe from 'stripe';
import type { Config } from './env.js';

/**
 * The only file that imports the Stripe SDK. Services see the PaymentGateway interface: what
 * Tissu asks of a payment processor, in its own words. With STRIPE_API_URL the official SDK talks
 * to the local emulator (host/port/protocol options); without it, to Stripe.
 */
export interface AccountStatus {
  id: string;
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
  detailsSubmitted: boolean;
  requirementsDue: string[];
}

export interface CheckoutRequest {
  idempotencyKey: string;
  paymentId: string;
  bookingId: string;
  destination: string;
  lines: { name: string; amountCents: number }[];
  applicationFeeCents: number;
  customerEmail: string;
  /**
   * A visit of a series: paid as the client's platform Customer, and the card kept on it for the
   * next visits (setup_future_usage off_session; Checkout tells the person so). With a destination
   * charge the payment is made on the platform, so the card is saved where the next charges are made.
   */
  saveCardFor?: { customerId: string };
  /** A tip on the booking rather than its payment: the metadata names the tip (`tipId`) instead of a payment. */
  tipId?: string;
  successUrl: string;
  cancelUrl: string;
  expiresAt: Date;
}

/** A payment to the platform itself (a member's qualifying share): no connected account, no fee, no tax. */
export interface PlatformCheckoutRequest {
  idempotencyKey: string;
  /** Echoed in the session's and the payment's metadata, so the webhook knows what was paid. */
  metadata: Record<string, string>;
  clientReferenceId: string;
  line: { name: string; amountCents: number };
  customerEmail: string;
  successUrl: string;
  cancelUrl: string;
  expiresAt: Date;
}

/** A saved card as the pages show it. */
export interface SavedCard {
  paymentMethodId: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  /** When Stripe made the SetupIntent or PaymentIntent that kept it (to order late events). */
  createdAt: Date;
}

/** A visit charged to a saved card, off-session, as a destination charge like Checkout's. */
export interface SavedCardCharge {
  idempotencyKey: string;
  customerId: string;
  paymentMethodId: string;
  amountCents: number;
  applicationFeeCents: number;
  destination: string;
  description: string;
  /** The payment it settles (a visit), or the tip (`tipId`). */
  metadata: { bookingId: string; paymentId: string } | { bookingId: string; tipId: string };
}

/** How a charge of a saved card ended: taken, or refused with the card's reason. */
export type SavedCardResult =
  | { ok: true; paymentIntentId: string; amountCents: number; currency: string; status: string }
  | { ok: false; paymentIntentId: string | null; code: string; declineCode: string | null; message: string };

export interface ProcessorPayment {
  paymentIntentId: string;
  amountCents: number;
  refundedCents: number;
  status: string;
  bookingId: string | null;
  created: Date;
}

/**
 * An event whose signature matched: who sent it is known, its shape is not (fields are as sent,
 * `object` is `data.object`); the payments module reads it before using it.
 */
export interface GatewayEvent {
  id: unknown;
  type: unknown;
  /** When Stripe created the event (Unix seconds): events are not delivered in order. */
  created: unknown;
  object: unknown;
}

export interface PaymentGateway {
  createAccount(input: { coopId: string; email: string; name: string }): Promise<AccountStatus>;
  retrieveAccount(id: string): Promise<AccountStatus>;
  onboardingLink(accountId: string, returnUrl: string, refreshUrl: string): Promise<string>;
  createCheckout(req: CheckoutRequest): Promise<{ id: string; url: string }>;
  createPlatformCheckout(req: PlatformCheckoutRequest): Promise<{ id: string; url: string }>;
  /** Closes an open Checkout so it can no longer be paid; says how it ended ('complete' when it was paid first). */
  expireCheckout(id: string): Promise<'expired' | 'complete'>;
  /** The transfer that moved the co-op's share, and the processor's fee, once the charge exists. */
  chargeDetails(paymentIntentId: string): Promise<{ transferId: string | null; processorFeeCents: number | null }>;
  refund(input: { paymentIntentId: string; amountCents: number; idempotencyKey: string; reason: string; bookingId: string }): Promise<{ id: string; amountCents: number }>;
  reverseTransfer(input: { transferId: string; amountCents: number; idempotencyKey: string }): Promise<{ id: string }>;
  transfer(input: { destination: string; amountCents: number; idempotencyKey: string; description: string; metadata: Record<string, string> }): Promise<{ id: string }>;
  listPayments(since: Date): Promise<ProcessorPayment[]>;
  /** The person's customer on the platform account (created once per person). */
  createCustomer(input: { userId: string; email: string; name: string }): Promise<string>;
  /** Stripe Checkout in setup mode: the person enters a card once, for later charges. */
  createSetupCheckout(input: { customerId: string; userId: string; successUrl: string; cancelUrl: string; locale: 'fr' | 'en' }): Promise<{ id: string; url: string }>;
  /** The card a completed setup saved. */
  setupCard(setupIntentId: string): Promise<SavedCard>;
  /** A Checkout session as the person comes back from it: its mode, whether it is complete, its customer and setup. */
  checkoutSession(id: string): Promise<{ mode: string; status: string | null; customer: string | null; setupIntent: string | null }>;
  /** The card a payment was made with, when it was saved on a customer for later (off-session) charges; null otherwise. */
  paymentCard(paymentIntentId: string): Promise<(SavedCard & { customerId: string }) | null>;
  /** Makes the card the customer's default, for charges without the person present. */
  setDefaultCard(customerId: string, paymentMethodId: string): Promise<void>;
  detachCard(paymentMethodId: string): Promise<void>;
  chargeSavedCard(input: SavedCardCharge): Promise<SavedCardResult>;
  /**
   * What became of a saved-card charge whose answer was lost: the customer's PaymentIntent made for
   * Tissu's payment (its metadata), looked up without charging anything; null when Stripe has none.
   * Asked once, briefly: the caller goes on without an answer rather than wait on an outage.
   */
  findSavedCardCharge(customerId: string, paymentId: string): Promise<{ paymentIntentId: string; status: string; error: string | null } | null>;
  /** Verifies the signature over the raw body; throws when it does not match (or the body is not JSON). */
  verifyEvent(rawBody: Buffer | string, signature: string): GatewayEvent;
}

/** What a booking's Checkout carries back in its events: the payment it settles, or the tip. */
const checkoutMetadata = (r: CheckoutRequest): Record<string, string> => ({ bookingId: r.bookingId, ...(r.tipId ? { tipId: r.tipId } : { paymentId: r.paymentId }) });

function accountStatus(a: Stripe.Account): AccountStatus {
  return {
    id: a.id,
    chargesEnabled: Boolean(a.charges_enabled),
    payoutsEnabled: Boolean(a.payouts_enabled),
    detailsSubmitted: Boolean(a.details_submitted),
    requirementsDue: [...(a.requirements?.currently_due ?? []), ...(a.requirements?.past_due ?? [])],
  };
}

export function createStripeGateway(config: Config['stripe']): PaymentGateway {
  const api = config.apiUrl ? new URL(config.apiUrl) : null;
  const stripe = new Stripe(config.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    ...(api ? { host: api.hostname, port: Number(api.port || 80), protocol: api.protocol.replace(':', '') as 'http' | 'https' } : {}),
  });
  return {
    async createAccount({ coopId, email, name }) {
      const a = await stripe.accounts.create(
        {
          type: 'express',
          country: 'CA',
          email,
          business_type: 'non_profit',
          business_profile: { name },
          capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
          metadata: { coopId },
        },
        { idempotencyKey: `account:${coopId}` },
      );
      return accountStatus(a);
    },
    async retrieveAccount(id) {
      return accountStatus(await stripe.accounts.retrieve(id));
    },
    async onboardingLink(account, returnUrl, refreshUrl) {
      const link = await stripe.accountLinks.create({ account, return_url: returnUrl, refresh_url: refreshUrl, type: 'account_onboarding' });
      return link.url;
    },
    async createCheckout(r) {
      const s = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          ...(r.saveCardFor ? { customer: r.saveCardFor.customerId } : { customer_email: r.customerEmail }),
          client_reference_id: r.bookingId,
          line_items: r.lines.map((l) => ({ quantity: 1, price_data: { currency: 'cad', unit_amount: l.amountCents, product_data: { name: l.name } } })),
          payment_intent_data: {
            application_fee_amount: r.applicationFeeCents,
            transfer_data: { destination: r.destination },
            metadata: checkoutMetadata(r),
            ...(r.saveCardFor ? { setup_future_usage: 'off_session' as const } : {}),
          },
          metadata: checkoutMetadata(r),
          success_url: r.successUrl,
          cancel_url: r.cancelUrl,
          expires_at: Math.floor(r.expiresAt.getTime() / 1000),
        },
        { idempotencyKey: r.idempotencyKey },
      );
      return { id: s.id, url: s.url ?? '' };
    },
    async createPlatformCheckout(r) {
      const s = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          customer_email: r.customerEmail,
          client_reference_id: r.clientReferenceId,
          line_items: [{ quantity: 1, price_data: { currency: 'cad', unit_amount: r.line.amountCents, product_data: { name: r.line.name } } }],
          payment_intent_data: { metadata: r.metadata },
          metadata: r.metadata,
          success_url: r.successUrl,
          cancel_url: r.cancelUrl,
          expires_at: Math.floor(r.expiresAt.getTime() / 1000),
        },
        { idempotencyKey: r.idempotencyKey },
      );
      return { id: s.id, url: s.url ?? '' };
    },
    async expireCheckout(id) {
      try {
        await stripe.checkout.sessions.expire(id);
        return 'expired';
      } catch (err) {
        // Only an open session can be expired: it may have been paid or have expired by itself meanwhile.
        if (!(err instanceof Stripe.errors.StripeInvalidRequestError)) throw err;
        const s = await stripe.checkout.sessions.retrieve(id);
        if (s.status === 'open') throw err;
        return s.status === 'complete' ? 'complete' : 'expired';
      }
    },
    async createCustomer({ userId, email, name }) {
      const c = await stripe.customers.create({ email, name, metadata: { userId } }, { idempotencyKey: `customer:${userId}` });
      return c.id;
    },
    async createSetupCheckout({ customerId, userId, successUrl, cancelUrl, locale }) {
      const s = await stripe.checkout.sessions.create({
        mode: 'setup',
        currency: 'cad',
        customer: customerId,
        locale,
        setup_intent_data: { metadata: { userId } },
        metadata: { userId, purpose: 'saved_card' },
        success_url: successUrl,
        cancel_url: cancelUrl,
      });
      return { id: s.id, url: s.url ?? '' };
    },
    async checkoutSession(id) {
      const s = await stripe.checkout.sessions.retrieve(id);
      const ref = (x: string | { id: string } | null) => (typeof x === 'string' ? x : x?.id ?? null);
      return { mode: s.mode, status: s.status, customer: ref(s.customer), setupIntent: ref(s.setup_intent) };
    },
    async setupCard(setupIntentId) {
      const si = await stripe.setupIntents.retrieve(setupIntentId, { expand: ['payment_method'] });
      const pm = si.payment_method as Stripe.PaymentMethod | null;
      if (!pm || typeof pm === 'string' || !pm.card) throw new Error(`setup ${setupIntentId} saved no card`);
      return { paymentMethodId: pm.id, brand: pm.card.brand, last4: pm.card.last4, expMonth: pm.card.exp_month, expYear: pm.card.exp_year, createdAt: new Date(si.created * 1000) };
    },
    async paymentCard(paymentIntentId) {
      const pi = await stripe.paymentIntents.retrieve(paymentIntentId, { expand: ['payment_method'] });
      const pm = pi.payment_method as Stripe.PaymentMethod | null;
      const customer = typeof pi.customer === 'string' ? pi.customer : (pi.customer?.id ?? null);
      if (pi.setup_future_usage !== 'off_session' || !customer || !pm || typeof pm === 'string' || !pm.card) return null;
      return { customerId: customer, paymentMethodId: pm.id, brand: pm.card.brand, last4: pm.card.last4, expMonth: pm.card.exp_month, expYear: pm.card.exp_year, createdAt: new Date(pi.created * 1000) };
    },
    async setDefaultCard(customerId, paymentMethodId) {
      await stripe.customers.update(customerId, { invoice_settings: { default_payment_method: paymentMethodId } });
    },
    async detachCard(paymentMethodId) {
      try {
        await stripe.paymentMethods.detach(paymentMethodId);
      } catch (err) {
        // Already detached (removed twice, or at Stripe): the card is gone either way.
        if (!(err instanceof Stripe.errors.StripeInvalidRequestError)) throw err;
      }
    },
    async chargeSavedCard(r) {
      try {
        const pi = await stripe.paymentIntents.create({
          amount: r.amountCents, currency: 'cad', customer: r.customerId, payment_method: r.paymentMethodId,
          off_session: true, confirm: true, application_fee_amount: r.applicationFeeCents,
          transfer_data: { destination: r.destination }, description: r.description, metadata: r.metadata,
        }, { idempotencyKey: r.idempotencyKey });
        return { ok: true, paymentIntentId: pi.id, amountCents: pi.amount_received || pi.amount, currency: pi.currency, status: pi.status };
      } catch (err) {
        // Stripe refused the request itself (the card was detached or replaced since the first try,
        // the customer is gone): no retry can succeed, so it is answered like a refused card.
        if (err instanceof Stripe.errors.StripeInvalidRequestError || err instanceof Stripe.errors.StripeIdempotencyError) {
          return { ok: false, paymentIntentId: null, code: 'card_unavailable', declineCode: null, message: err.message };
        }
        if (!(err instanceof Stripe.errors.StripeCardError)) throw err;
        const pi = (err.raw as { payment_intent?: { id?: string } } | undefined)?.payment_intent;
        return { ok: false, paymentIntentId: pi?.id ?? null, code: err.code ?? 'card_declined', declineCode: err.decline_code ?? null, message: err.message };
      }
    },
    async findSavedCardCharge(customerId, paymentId) {
      // Listing is consistent at once (the search API lags up to a minute), and a customer has few intents.
      for await (const pi of stripe.paymentIntents.list({ customer: customerId, limit: 100 }, { timeout: 8_000, maxNetworkRetries: 0 })) {
        if (pi.metadata?.paymentId !== paymentId) continue;
        const err = pi.last_payment_error;
        return { paymentIntentId: pi.id, status: pi.status, error: err ? (err.decline_code ? `${err.code}:${err.decline_code}` : (err.code ?? 'card_declined')) : null };
      }
      return null;
    },
    async chargeDetails(paymentIntentId) {
      const pi = await stripe.paymentIntents.retrieve(paymentIntentId, { expand: ['latest_charge.balance_transaction'] });
      const charge = pi.latest_charge as Stripe.Charge | null;
      const bt = charge?.balance_transaction as Stripe.BalanceTransaction | null | undefined;
      const transfer = charge?.transfer;
      return {
        transferId: typeof transfer === 'string' ? transfer : (transfer?.id ?? null),
        processorFeeCents: bt && typeof bt === 'object' ? bt.fee : null,
      };
    },
    async refund({ paymentIntentId, amountCents, idempotencyKey, reason, bookingId }) {
      const r = await stripe.refunds.create(
        { payment_intent: paymentIntentId, amount: amountCents, reason: 'requested_by_customer', metadata: { bookingId, reason: reason.slice(0, 400) } },
        { idempotencyKey },
      );
      return { id: r.id, amountCents: r.amount };
    },
    async reverseTransfer({ transferId, amountCents, idempotencyKey }) {
      const r = await stripe.transfers.createReversal(transferId, { amount: amountCents }, { idempotencyKey });
      return { id: r.id };
    },
    async transfer({ destination, amountCents, idempotencyKey, description, metadata }) {
      const t = await stripe.transfers.create({ amount: amountCents, currency: 'cad', destination, description, metadata }, { idempotencyKey });
      return { id: t.id };
    },
    async listPayments(since) {
      const out: ProcessorPayment[] = [];
      for await (const pi of stripe.paymentIntents.list({ created: { gte: Math.floor(since.getTime() / 1000) }, limit: 100, expand: ['data.latest_charge'] })) {
        const charge = pi.latest_charge as Stripe.Charge | null;
        out.push({
          paymentIntentId: pi.id,
          amountCents: pi.amount_received ?? 0,
          refundedCents: charge && typeof charge === 'object' ? charge.amount_refunded : 0,
          status: pi.status,
          bookingId: pi.metadata?.bookingId ?? null,
          created: new Date(pi.created * 1000),
        });
      }
      return out;
    },
    verifyEvent(rawBody, signature) {
      const e: unknown = stripe.webhooks.constructEvent(rawBody, signature, config.webhookSecret);
      const field = (o: unknown, key: string): unknown => (o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>)[key] : undefined);
      return { id: field(e, 'id'), type: field(e, 'type'), created: field(e, 'created'), object: field(field(e, 'data'), 'object') };
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    payments: PaymentGateway;
  }
}

export default fp<{ gateway: PaymentGateway }>(
  async (app, { gateway }) => {
    app.decorate('payments', gateway);
  },
  { name: 'stripe' },
);
