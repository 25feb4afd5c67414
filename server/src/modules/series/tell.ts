import type { Tx } from '@tissu/db';
import { enqueue, type SeriesMessage } from '../notifications/index.js';
import type { SeriesRefunds } from '../notifications/index.js';
import type { SeriesRow } from './repository.js';

/**
 * Queues one message about a series to some people, in the caller's transaction: one email per
 * person per event (the key), whatever roles they hold. Visits changed as part of the series are
 * not told one by one: this message (and its calendar) says it once.
 */
export async function tellSeries(tx: Tx, s: SeriesRow, message: SeriesMessage, to: string[], key: string, extra: { reason?: string | null; date?: string; refunds?: SeriesRefunds } = {}) {
  await Promise.all([...new Set(to)].map((recipientId) =>
    enqueue(tx, `series:${key}:${message}:${recipientId}`, { type: 'series', message, seriesId: s.id, recipientId, reason: extra.reason ?? null, date: extra.date, ...(extra.refunds ? { refunds: extra.refunds } : {}) })));
}
