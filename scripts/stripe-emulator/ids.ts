import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomChars(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  // 62 does not divide 256: the slight bias is irrelevant for test identifiers.
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

/** Identifier prefixes as Stripe uses them, so code that inspects prefixes behaves the same. */
export const prefixes = {
  account: 'acct',
  applicationFee: 'fee',
  applicationFeeRefund: 'fr',
  balanceTransaction: 'txn',
  charge: 'ch',
  checkoutSession: 'cs_test',
  customer: 'cus',
  destinationPayment: 'py',
  event: 'evt',
  lineItem: 'li',
  paymentIntent: 'pi',
  paymentMethod: 'pm',
  price: 'price',
  product: 'prod',
  refund: 're',
  request: 'req',
  setupIntent: 'seti',
  transfer: 'tr',
  transferReversal: 'trr',
  webhookEndpoint: 'we',
} as const;

export type IdKind = keyof typeof prefixes;

export function newId(kind: IdKind): string {
  // Checkout Session ids are much longer than the others on Stripe.
  const length = kind === 'checkoutSession' ? 58 : kind === 'request' ? 14 : 24;
  return `${prefixes[kind]}_${randomChars(length)}`;
}

export function clientSecretFor(id: string): string {
  return `${id}_secret_${randomChars(25)}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
