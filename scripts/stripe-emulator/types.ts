/**
 * The objects the emulator keeps, shaped as the Stripe API returns them (only the fields Tissu
 * reads or that the SDK's types make non-optional are filled in with realistic values).
 */
export type Metadata = Record<string, string>;

export interface ApiObject {
  id: string;
  object: string;
  [key: string]: unknown;
}

export interface ListObject<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

export interface Requirements {
  alternatives: unknown[];
  current_deadline: number | null;
  currently_due: string[];
  disabled_reason: string | null;
  errors: unknown[];
  eventually_due: string[];
  past_due: string[];
  pending_verification: string[];
}

export interface Account extends ApiObject {
  object: 'account';
  type: string;
  country: string;
  email: string | null;
  business_type: string | null;
  business_profile: { name: string | null; url: string | null; mcc: string | null; product_description: string | null };
  capabilities: Record<string, 'active' | 'inactive' | 'pending'>;
  charges_enabled: boolean;
  payouts_enabled: boolean;
  details_submitted: boolean;
  requirements: Requirements;
  metadata: Metadata;
  created: number;
}

export interface LineItem extends ApiObject {
  object: 'item';
  amount_subtotal: number;
  amount_total: number;
  currency: string;
  description: string;
  quantity: number;
  price: ApiObject & { unit_amount: number; currency: string; product: string; product_data?: unknown };
}

export interface CheckoutSession extends ApiObject {
  object: 'checkout.session';
  mode: 'payment' | 'setup';
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid' | 'no_payment_required';
  amount_subtotal: number | null;
  amount_total: number | null;
  currency: string | null;
  url: string | null;
  customer: string | ApiObject | null;
  payment_intent: string | ApiObject | null;
  setup_intent: string | ApiObject | null;
  metadata: Metadata;
  client_reference_id: string | null;
  customer_email: string | null;
  customer_details: unknown;
  success_url: string;
  cancel_url: string | null;
  expires_at: number;
  created: number;
}

/** What the session will put on the PaymentIntent it creates when the client pays. */
export interface PaymentIntentData {
  application_fee_amount: number | null;
  destination: string | null;
  metadata: Metadata;
  description: string | null;
  transfer_group: string | null;
  /** Save the card on the customer for later payments (`off_session` for visits charged without the client). */
  setup_future_usage: 'off_session' | 'on_session' | null;
}

export interface PaymentIntent extends ApiObject {
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: 'requires_payment_method' | 'requires_confirmation' | 'requires_action' | 'succeeded' | 'canceled';
  customer: string | ApiObject | null;
  payment_method: string | ApiObject | null;
  application_fee_amount: number | null;
  transfer_data: { destination: string } | null;
  transfer_group: string | null;
  metadata: Metadata;
  latest_charge: string | ApiObject | null;
  last_payment_error: unknown;
  created: number;
}

export interface Customer extends ApiObject {
  object: 'customer';
  email: string | null;
  name: string | null;
  description: string | null;
  invoice_settings: { custom_fields: null; default_payment_method: string | ApiObject | null; footer: null; rendering_options: null };
  metadata: Metadata;
  created: number;
}

export interface CardDetails {
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  funding: string;
  country: string;
  fingerprint: string;
  [key: string]: unknown;
}

export interface PaymentMethod extends ApiObject {
  object: 'payment_method';
  type: 'card';
  card: CardDetails;
  customer: string | ApiObject | null;
  metadata: Metadata;
  created: number;
}

export interface SetupIntent extends ApiObject {
  object: 'setup_intent';
  status: 'requires_payment_method' | 'requires_confirmation' | 'requires_action' | 'succeeded' | 'canceled';
  customer: string | ApiObject | null;
  payment_method: string | ApiObject | null;
  usage: 'off_session' | 'on_session';
  last_setup_error: unknown;
  next_action: unknown;
  metadata: Metadata;
  created: number;
}

/** What a setup-mode Checkout Session puts on the SetupIntent it creates. */
export interface SetupIntentData {
  metadata: Metadata;
  description: string | null;
}

export interface Charge extends ApiObject {
  object: 'charge';
  status: 'succeeded' | 'failed';
  amount: number;
  amount_refunded: number;
  refunded: boolean;
  currency: string;
  payment_intent: string;
  balance_transaction: string | ApiObject | null;
  application_fee: string | null;
  application_fee_amount: number | null;
  transfer: string | null;
  transfer_data: { amount: null; destination: string } | null;
  metadata: Metadata;
  created: number;
}

export interface BalanceTransaction extends ApiObject {
  object: 'balance_transaction';
  amount: number;
  fee: number;
  net: number;
  currency: string;
  type: string;
  source: string;
  created: number;
}

export interface ApplicationFee extends ApiObject {
  object: 'application_fee';
  amount: number;
  amount_refunded: number;
  refunded: boolean;
  account: string;
  charge: string;
}

export interface Transfer extends ApiObject {
  object: 'transfer';
  amount: number;
  amount_reversed: number;
  reversed: boolean;
  currency: string;
  destination: string;
  metadata: Metadata;
  created: number;
}

export interface Refund extends ApiObject {
  object: 'refund';
  amount: number;
  charge: string;
  payment_intent: string | null;
  status: 'succeeded';
  metadata: Metadata;
  created: number;
}

export interface StripeEvent extends ApiObject {
  object: 'event';
  api_version: string;
  created: number;
  type: string;
  data: { object: ApiObject; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
}

/** Who caused a change: an API request (with its id and idempotency key) or the test pages. */
export interface RequestContext {
  requestId: string | null;
  idempotencyKey: string | null;
}

export const noRequest: RequestContext = { requestId: null, idempotencyKey: null };
