import type { EventLog } from './events.js';
import type { FeeSchedule } from './money.js';
import type { Store } from './store.js';
import type { TestCard } from './cards.js';
import type { LineItem, PaymentIntentData, SetupIntentData } from './types.js';
import type { WebhookDispatcher } from './webhooks.js';

/** What every route and operation works with: the objects, the event log and the settings. */
export interface Fault {
  method: string;
  pathPrefix: string;
  status: number;
  remaining: number;
}

export interface Emulator {
  store: Store;
  events: EventLog;
  webhooks: WebhookDispatcher;
  /** Per Checkout Session: what Stripe keeps beside the session object rather than in it. */
  checkout: Map<string, { lineItems: LineItem[]; intentData: PaymentIntentData | null; setupIntentData: SetupIntentData | null }>;
  /** The test card behind each PaymentMethod (Stripe knows the number; the API never shows it). */
  cards: Map<string, TestCard>;
  /** PaymentMethods detached from their customer: Stripe does not say so on the object, but refuses them. */
  detachedPaymentMethods: Set<string>;
  /** Outages asked for by a test: the next `remaining` API calls matching answer `status`. */
  faults: Fault[];
  config: {
    /** Where browsers reach the emulator (checkout and onboarding pages); known once listening. */
    publicUrl: string;
    fees: FeeSchedule;
    apiVersion: string;
  };
}
