// What other modules and the flows may use of payments.
export { closeOpenCheckouts, createCheckoutService, type CheckoutService } from './checkout.js';
export { keptOnCancellation, refundPayment, refundPreview } from './refunds.js';
export { createLatePayments, type LatePayments } from './late-payments.js';
export { paymentAccount } from './repository.js';
export { createSavedCards, visitChargeSession, type SavedCards } from './saved-cards.js';
