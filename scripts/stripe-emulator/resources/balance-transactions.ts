import type { Emulator } from '../context.js';
import { newId, nowSeconds } from '../ids.js';
import type { BalanceTransaction } from '../types.js';

/** A movement of the platform's balance; `fee` is Stripe's own, shown in fee_details. */
export function balanceTransaction(emu: Emulator, fields: { amount: number; fee?: number; currency: string; type: string; reporting_category: string; source: string; description?: string | null }): BalanceTransaction {
  const created = nowSeconds();
  const fee = fields.fee ?? 0;
  return emu.store.put<BalanceTransaction>({
    id: newId('balanceTransaction'),
    object: 'balance_transaction',
    amount: fields.amount,
    available_on: created + 2 * 86_400,
    balance_type: 'payments',
    created,
    currency: fields.currency,
    description: fields.description ?? null,
    exchange_rate: null,
    fee,
    fee_details: fee ? [{ amount: fee, application: null, currency: fields.currency, description: 'Stripe processing fees', type: 'stripe_fee' }] : [],
    net: fields.amount - fee,
    reporting_category: fields.reporting_category,
    source: fields.source,
    status: 'pending',
    type: fields.type,
  });
}
