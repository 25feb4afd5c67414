import type { FastifyInstance } from 'fastify';
import type { Emulator } from '../context.js';
import { invalidRequest, noSuch } from '../errors.js';
import { newId, nowSeconds } from '../ids.js';
import { formatForError } from '../money.js';
import { allowOnly, asParams, expandPaths, int, metadata, requiredInt, requiredStr, str, type Params } from '../params.js';
import { requestContext } from '../request-context.js';
import { copy, expand, paginate } from '../store.js';
import type { ApiObject, Charge, Metadata, RequestContext, Transfer } from '../types.js';
import { balanceTransaction } from './balance-transactions.js';
import { requireTransferDestination } from './checkout-sessions.js';

/** A transfer from the platform's balance to a connected account (e.g. a co-op's patronage refund). */
export function createTransfer(emu: Emulator, p: Params, ctx: RequestContext): Transfer {
  allowOnly(p, ['amount', 'currency', 'destination', 'description', 'metadata', 'transfer_group', 'source_transaction']);
  const amount = requiredInt(p.amount, 'amount', { min: 1 });
  const currency = requiredStr(p.currency, 'currency').toLowerCase();
  const destination = requiredStr(p.destination, 'destination');
  requireTransferDestination(emu, destination, 'destination');
  const sourceTransaction = str(p.source_transaction, 'source_transaction') ?? null;
  if (sourceTransaction) emu.store.require<Charge>(sourceTransaction, 'charge', 'source_transaction');
  const id = newId('transfer');
  const transfer = emu.store.put<Transfer>({
    id,
    object: 'transfer',
    amount,
    amount_reversed: 0,
    balance_transaction: balanceTransaction(emu, { amount: -amount, currency, type: 'transfer', reporting_category: 'transfer', source: id }).id,
    created: nowSeconds(),
    currency,
    description: str(p.description, 'description') ?? null,
    destination,
    destination_payment: newId('destinationPayment'),
    livemode: false,
    metadata: metadata(p.metadata),
    reversals: { object: 'list', data: [], has_more: false, url: `/v1/transfers/${id}/reversals` },
    reversed: false,
    source_transaction: sourceTransaction,
    source_type: 'card',
    transfer_group: str(p.transfer_group, 'transfer_group') ?? null,
  });
  emu.events.emit('transfer.created', transfer, ctx);
  return transfer;
}

/** Takes money back from the connected account: by itself, or as part of a refund (reverse_transfer). */
export function createTransferReversal(
  emu: Emulator,
  transfer: Transfer,
  amount: number,
  extra: { sourceRefund?: string; metadata?: Metadata; description?: string | null },
  ctx: RequestContext,
): ApiObject {
  const remaining = transfer.amount - transfer.amount_reversed;
  if (amount > remaining) {
    throw invalidRequest(
      `Transfer reversal amount (${formatForError(amount, transfer.currency)}) is greater than the amount remaining on the transfer (${formatForError(remaining, transfer.currency)}).`,
      { code: 'amount_too_large', param: 'amount' },
    );
  }
  const id = newId('transferReversal');
  const reversal = emu.store.put<ApiObject>({
    id,
    object: 'transfer_reversal',
    amount,
    balance_transaction: balanceTransaction(emu, { amount, currency: transfer.currency, type: 'transfer_refund', reporting_category: 'transfer_reversal', source: id }).id,
    created: nowSeconds(),
    currency: transfer.currency,
    destination_payment_refund: `pyr_${id.slice(4)}`,
    metadata: extra.metadata ?? {},
    source_refund: extra.sourceRefund ?? null,
    transfer: transfer.id,
  });
  const previous = { amount_reversed: transfer.amount_reversed, reversed: transfer.reversed };
  transfer.amount_reversed += amount;
  transfer.reversed = transfer.amount_reversed === transfer.amount;
  (transfer.reversals as { data: unknown[] }).data.unshift(copy(reversal));
  emu.events.emit('transfer.reversed', transfer, ctx, previous);
  return reversal;
}

export function registerTransferRoutes(app: FastifyInstance, emu: Emulator): void {
  app.post('/v1/transfers', async (req) => {
    const p = asParams(req.body);
    return expand(createTransfer(emu, p, requestContext(req)), expandPaths(p), emu.store);
  });

  app.get<{ Params: { id: string } }>('/v1/transfers/:id', async (req) =>
    expand(emu.store.require<Transfer>(req.params.id, 'transfer', 'transfer'), expandPaths(asParams(req.query)), emu.store),
  );

  app.get('/v1/transfers', async (req) => {
    const q = asParams(req.query);
    const destination = str(q.destination, 'destination');
    const group = str(q.transfer_group, 'transfer_group');
    const transfers = emu.store.all<Transfer>('transfer').filter((t) => (!destination || t.destination === destination) && (!group || t.transfer_group === group));
    return paginate(transfers, q, '/v1/transfers');
  });

  app.post<{ Params: { id: string } }>('/v1/transfers/:id/reversals', async (req) => {
    const p = asParams(req.body);
    allowOnly(p, ['amount', 'description', 'metadata', 'refund_application_fee']);
    const transfer = emu.store.require<Transfer>(req.params.id, 'transfer', 'id');
    const amount = int(p.amount, 'amount', { min: 1 }) ?? transfer.amount - transfer.amount_reversed;
    if (amount === 0) throw invalidRequest(`Transfer ${transfer.id} has already been fully reversed.`, { code: 'transfer_already_reversed' });
    const reversal = createTransferReversal(emu, transfer, amount, { metadata: metadata(p.metadata), description: str(p.description, 'description') ?? null }, requestContext(req));
    return expand(reversal, expandPaths(p), emu.store);
  });

  const reversalsOf = (transferId: string) => emu.store.all<ApiObject>('transfer_reversal').filter((r) => r.transfer === transferId);

  app.get<{ Params: { id: string } }>('/v1/transfers/:id/reversals', async (req) => {
    emu.store.require<Transfer>(req.params.id, 'transfer', 'id');
    return paginate(reversalsOf(req.params.id), asParams(req.query), `/v1/transfers/${req.params.id}/reversals`);
  });

  app.get<{ Params: { id: string; reversal: string } }>('/v1/transfers/:id/reversals/:reversal', async (req) => {
    const reversal = emu.store.require<ApiObject>(req.params.reversal, 'transfer_reversal', 'id');
    if (reversal.transfer !== req.params.id) throw noSuch('transfer_reversal', req.params.reversal, 'id');
    return expand(reversal, expandPaths(asParams(req.query)), emu.store);
  });
}
