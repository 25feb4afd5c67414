import { StripeApiError } from './errors.js';

/**
 * Stripe's documented test cards, by number (typed on the test pages) and by PaymentMethod id or
 * token (used in code). One table drives the hosted pages, SetupIntents and charges, so a card
 * behaves the same wherever it is used.
 *
 * `atSetup`: what saving the card does (SetupIntent confirmation, attaching it to a customer).
 * `atCharge`: what a payment with it does; `authentication_required` fails only off-session
 * (nobody is there to authenticate), as on Stripe.
 */
export type CardOutcome = 'succeeds' | 'generic_decline' | 'insufficient_funds' | 'expired_card' | 'authentication_required';

export interface TestCard {
  number: string;
  brand: 'visa' | 'mastercard';
  funding: 'credit' | 'debit';
  /** PaymentMethod ids and tokens that stand for this card, Stripe's names first. */
  ids: string[];
  atSetup: CardOutcome;
  atCharge: CardOutcome;
  /** Shown on the setup page, French then English. */
  label: string;
}

export const TEST_CARDS: readonly TestCard[] = [
  { number: '4242424242424242', brand: 'visa', funding: 'credit', ids: ['pm_card_visa', 'tok_visa'], atSetup: 'succeeds', atCharge: 'succeeds', label: 'Visa — acceptée / succeeds' },
  { number: '5555555555554444', brand: 'mastercard', funding: 'credit', ids: ['pm_card_mastercard', 'tok_mastercard'], atSetup: 'succeeds', atCharge: 'succeeds', label: 'Mastercard — acceptée / succeeds' },
  { number: '4000000000000002', brand: 'visa', funding: 'credit', ids: ['pm_card_chargeDeclined', 'pm_card_visa_chargeDeclined', 'tok_chargeDeclined', 'tok_visa_chargeDeclined'], atSetup: 'generic_decline', atCharge: 'generic_decline', label: 'refusée / declined (generic_decline)' },
  { number: '4000000000009995', brand: 'visa', funding: 'credit', ids: ['pm_card_chargeDeclinedInsufficientFunds', 'pm_card_visa_chargeDeclinedInsufficientFunds', 'tok_chargeDeclinedInsufficientFunds', 'tok_visa_chargeDeclinedInsufficientFunds'], atSetup: 'succeeds', atCharge: 'insufficient_funds', label: 'enregistrée, paiements refusés / saved, charges declined (insufficient_funds)' },
  { number: '4000000000000069', brand: 'visa', funding: 'credit', ids: ['pm_card_chargeDeclinedExpiredCard', 'pm_card_visa_chargeDeclinedExpiredCard', 'pm_card_expired', 'tok_chargeDeclinedExpiredCard', 'tok_visa_chargeDeclinedExpiredCard'], atSetup: 'expired_card', atCharge: 'expired_card', label: 'expirée / expired (expired_card)' },
  { number: '4000000000000341', brand: 'visa', funding: 'credit', ids: ['pm_card_chargeCustomerFail', 'tok_chargeCustomerFail'], atSetup: 'succeeds', atCharge: 'generic_decline', label: 'enregistrée, paiements refusés / saved, charges declined (generic_decline)' },
  { number: '4000002760003184', brand: 'visa', funding: 'credit', ids: ['pm_card_authenticationRequired', 'tok_authenticationRequired', 'tok_threeDSecure2Required'], atSetup: 'authentication_required', atCharge: 'authentication_required', label: '3D Secure à chaque paiement / on every payment' },
];

/** A number as typed: spaces and dashes allowed. */
export function cardByNumber(typed: string): TestCard | undefined {
  const digits = typed.replace(/[\s-]/g, '');
  return TEST_CARDS.find((c) => c.number === digits);
}

export function cardById(id: string): TestCard | undefined {
  return TEST_CARDS.find((c) => c.ids.includes(id));
}

export function last4(card: TestCard): string {
  return card.number.slice(-4);
}

export type Decline = Exclude<CardOutcome, 'succeeds'>;

/** The error fields Stripe answers a decline with (status 402, type card_error). */
export function declineDetails(outcome: Decline): { code: string; decline_code: string; message: string; doc_url: string; param?: string } {
  switch (outcome) {
    case 'insufficient_funds':
      return { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.', doc_url: 'https://stripe.com/docs/error-codes/card-declined' };
    case 'expired_card':
      // Stripe answers an expired card with its own error code, not card_declined.
      return { code: 'expired_card', decline_code: 'expired_card', message: 'Your card has expired.', doc_url: 'https://stripe.com/docs/error-codes/expired-card', param: 'exp_month' };
    case 'authentication_required':
      return { code: 'authentication_required', decline_code: 'authentication_required', message: 'Your card was declined. This transaction requires authentication.', doc_url: 'https://stripe.com/docs/error-codes/authentication-required' };
    default:
      return { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.', doc_url: 'https://stripe.com/docs/error-codes/card-declined' };
  }
}

/** The 402 the SDK raises as StripeCardError; `extra` carries the intent and payment method as Stripe does. */
export function cardError(outcome: Decline, extra: Record<string, unknown>): StripeApiError {
  return new StripeApiError(402, { type: 'card_error', ...declineDetails(outcome), ...extra });
}
