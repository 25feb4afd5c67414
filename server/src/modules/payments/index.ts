// What other modules and the flows may use of payments.
export { closeOpenCheckouts, createCheckoutService, type CheckoutService } from './checkout.js';
export { keptOnCancellation, keptOnNoShow, refundPayment, refundPreview } from './refunds.js';
export { createLatePayments, type LatePayments } from './late-payments.js';
export { paymentAccount, paymentCustomer } from './repository.js';
export type { StripeEvent, TipEvents } from './events.js';
export { createSavedCards, visitChargeSession, type SavedCards } from './saved-cards.js';
