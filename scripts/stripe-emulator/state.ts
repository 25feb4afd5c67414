import type { Emulator } from './context.js';
import { copy } from './store.js';
import type {
  Account,
  ApiObject,
  ApplicationFee,
  BalanceTransaction,
  Charge,
  CheckoutSession,
  Customer,
  PaymentIntent,
  PaymentMethod,
  Refund,
  SetupIntent,
  StripeEvent,
  Transfer,
} from './types.js';
import type { DeliveryAttempt } from './webhooks.js';

/** Read-only views for tests: copies, oldest first. */
export interface EmulatorState {
  get<T extends ApiObject = ApiObject>(id: string): T | undefined;
  accounts(): Account[];
  checkoutSessions(): CheckoutSession[];
  customers(): Customer[];
  paymentMethods(): PaymentMethod[];
  setupIntents(): SetupIntent[];
  paymentIntents(): PaymentIntent[];
  charges(): Charge[];
  balanceTransactions(): BalanceTransaction[];
  applicationFees(): ApplicationFee[];
  refunds(): Refund[];
  transfers(): Transfer[];
  events(): StripeEvent[];
  webhookEndpoints(): Array<{ id: string; url: string }>;
  /** Every delivery attempt, in the order they finished. */
  deliveries(): DeliveryAttempt[];
}

export function stateOf(emu: Emulator): EmulatorState {
  const all = <T extends ApiObject>(objectName: string) => emu.store.all<T>(objectName).reverse().map(copy);
  return {
    get: <T extends ApiObject>(id: string) => {
      const found = emu.store.get<T>(id);
      return found ? copy(found) : undefined;
    },
    accounts: () => all<Account>('account'),
    checkoutSessions: () => all<CheckoutSession>('checkout.session'),
    customers: () => all<Customer>('customer'),
    paymentMethods: () => all<PaymentMethod>('payment_method'),
    setupIntents: () => all<SetupIntent>('setup_intent'),
    paymentIntents: () => all<PaymentIntent>('payment_intent'),
    charges: () => all<Charge>('charge'),
    balanceTransactions: () => all<BalanceTransaction>('balance_transaction'),
    applicationFees: () => all<ApplicationFee>('application_fee'),
    refunds: () => all<Refund>('refund'),
    transfers: () => all<Transfer>('transfer'),
    events: () => all<StripeEvent>('event'),
    webhookEndpoints: () => emu.webhooks.endpoints.map((e) => ({ id: e.id, url: e.url })),
    deliveries: () => emu.webhooks.attempts.map(copy),
  };
}
