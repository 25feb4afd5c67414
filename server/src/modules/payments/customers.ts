import type { Tx } from '@tissu/db';
import type { PaymentGateway } from '../../plugins/stripe.js';
import { findUserById } from '../accounts/index.js';
import * as repo from './repository.js';

/**
 * The person's Customer on the platform account, made the first time a card is to be saved for
 * them (the card page, or paying a visit of a series). Stripe's idempotency key is the person, so a
 * retry after a lost answer gets the same Customer rather than a second one.
 */
export async function customerOf(db: Tx, gateway: PaymentGateway, userId: string): Promise<repo.PaymentCustomerRow> {
  const found = await repo.paymentCustomer(db, userId);
  if (found) return found;
  const user = await findUserById(db, userId);
  const id = await gateway.createCustomer({ userId, email: user!.email, name: user!.name });
  await repo.upsertPaymentCustomer(db, { userId, stripeCustomerId: id });
  return (await repo.paymentCustomer(db, userId))!;
}
