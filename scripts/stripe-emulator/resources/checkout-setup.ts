import { cardByNumber, declineDetails, type Decline } from '../cards.js';
import type { Emulator } from '../context.js';
import { StripeApiError } from '../errors.js';
import { noRequest, type CheckoutSession, type Customer, type PaymentMethod, type SetupIntent } from '../types.js';
import { requireOpen } from './checkout-payment.js';
import { setupIntentDataOf } from './checkout-sessions.js';
import { paymentMethodForCard } from './payment-methods.js';
import { attemptSetup, newSetupIntent } from './setup-intents.js';

const TEST_NAME = 'Client Test';
const TEST_EMAIL = 'client.test@example.com';

export interface CardSetupResult {
  session: CheckoutSession;
  setupIntent: SetupIntent;
  paymentMethod: PaymentMethod;
  /** Set when the card was refused: the session stays open for another card. */
  decline: Decline | null;
}

/** Stripe's answer to a number that is not a test card (real cards are refused in test mode). */
export function incorrectNumber(): StripeApiError {
  return new StripeApiError(402, { type: 'card_error', code: 'incorrect_number', message: 'Your card number is incorrect.', param: 'number', doc_url: 'https://stripe.com/docs/error-codes/incorrect-number' });
}

/** The SetupIntent the session creates on the first card entered; later tries reuse it. */
function setupIntentFor(emu: Emulator, session: CheckoutSession): SetupIntent {
  if (typeof session.setup_intent === 'string') return emu.store.require<SetupIntent>(session.setup_intent, 'setup_intent');
  const data = setupIntentDataOf(emu, session.id);
  const customer = typeof session.customer === 'string' ? session.customer : null;
  const si = newSetupIntent(emu, { customer, usage: 'off_session', metadata: { ...data.metadata }, description: data.description, allowed: ['card'] }, noRequest);
  session.setup_intent = si.id;
  return si;
}

/**
 * A person types a test card on the setup page. The card is checked and saved on the customer
 * (3D Secure, when the card asks for it, is done by that person there and then); the session
 * completes. A refused card leaves the session open, as Checkout does.
 */
export function setUpCheckoutSession(emu: Emulator, sessionId: string, typedNumber: string): CardSetupResult {
  const session = requireOpen(emu, sessionId);
  setupIntentDataOf(emu, session.id);
  const card = cardByNumber(typedNumber);
  if (!card) throw incorrectNumber();
  const customer = typeof session.customer === 'string' ? emu.store.get<Customer>(session.customer, 'customer') : undefined;
  const email = customer?.email ?? session.customer_email ?? TEST_EMAIL;
  const name = customer?.name ?? TEST_NAME;
  const setupIntent = setupIntentFor(emu, session);
  const paymentMethod = paymentMethodForCard(emu, card, { email, name });
  const outcome = attemptSetup(emu, setupIntent, paymentMethod, noRequest, true);
  if (outcome !== 'succeeded' && outcome !== 'requires_action') return { session, setupIntent, paymentMethod, decline: outcome };
  Object.assign(session, {
    status: 'complete',
    url: null,
    customer_details: { address: { city: null, country: 'CA', line1: null, line2: null, postal_code: 'H2X 1Y4', state: null }, email, name, phone: null, tax_exempt: 'none', tax_ids: [] },
  });
  emu.events.emit('checkout.session.completed', session, noRequest);
  return { session, setupIntent, paymentMethod, decline: null };
}

/** The sentence the page shows for a refused card, in French then English. */
export function declineSentence(decline: string): string {
  switch (decline) {
    case 'insufficient_funds':
      return 'Fonds insuffisants / Your card has insufficient funds.';
    case 'expired_card':
      return 'Votre carte est expirée / Your card has expired.';
    case 'incorrect_number':
      return "Ce numéro n'est pas une carte de test / Your card number is incorrect (use a test card).";
    default:
      return `Votre carte a été refusée / ${declineDetails('generic_decline').message}`;
  }
}
