import { createHash } from 'node:crypto';
import type { Actor } from '../actor.js';
import { conflict } from '../errors.js';
import type { PaymentGateway } from '../plugins/stripe.js';
import type { Db } from '@tissu/db';
import { createSeriesService, type SeriesChange } from '../modules/series/index.js';
import type { SeriesStopPreview } from '@tissu/shared';
import { closeOpenCheckouts, keptOnCancellation, refundPreview } from '../modules/payments/index.js';
import { coopAcceptedAt } from '../modules/bookings/index.js';
import { createBookingPayments } from './booking-payments.js';

/**
 * Regular visits where they touch the money: a visit cancelled with its series closes its open
 * Checkout in the series' transaction; a paid visit is then cancelled on its own, with the
 * listing's refund policy, as a single booking would be (a refund at Stripe cannot be rolled back
 * with our transaction, so it is never made inside one that might still fail).
 */
export function createSeriesPayments(deps: { db: Db; gateway: PaymentGateway; paymentWindowHours: number; now?: () => Date; wake?: () => void }) {
  const series = createSeriesService({ ...deps, closeCheckout: (tx, bookingId) => closeOpenCheckouts(tx, deps.gateway, bookingId) });
  const bookings = createBookingPayments(deps);

  async function settle(actor: Actor | null, change: SeriesChange, reason?: string) {
    for (const id of change.paidVisitsToCancel) await bookings.cancel(actor, id, reason ?? (change.side === 'client' ? 'Regular visits changed by the client' : 'Regular visits changed by the co-op'), { withSeries: true });
    return change.paidVisitsToCancel.length ? series.get(actor, change.series.id) : change.series;
  }

  /**
   * Before a pause or an end: the visits it would cancel and, for each paid one, the refund its
   * cancellation would make, by the same code as `settle` then runs (cancelling that visit alone
   * by the same side: keptOnCancellation, then the refund's breakdown). Nothing is written.
   */
  async function stopPreview(actor: Actor | null, id: string, from: string, stop: 'pause' | 'end'): Promise<SeriesStopPreview> {
    const { side, visits } = await series.stopAffects(actor, id, from, stop);
    const at = deps.now?.() ?? new Date();
    const out: SeriesStopPreview['visits'] = [];
    for (const v of visits) {
      const refund = v.state === 'paid' ? await refundPreview(deps.db, v.id, keptOnCancellation(v, side, at, await coopAcceptedAt(deps.db, v.id))) : null;
      out.push({ bookingId: v.id, date: v.seriesDate ?? from, startsAt: v.startsAt.toISOString(), state: v.state, refund });
    }
    const digest = createHash('sha256').update(JSON.stringify([side, out.map((v) => [v.bookingId, v.state, v.refund?.refundCents ?? null, v.refund?.keptCents ?? null])]))
      .digest('base64url').slice(0, 22);
    return { from, side, visits: out, digest };
  }

  /** A pause or an end confirmed from its preview does what the preview showed, or nothing (see SeriesPauseBody). */
  async function asShown(actor: Actor | null, id: string, body: { from: string; previewDigest?: string }, stop: 'pause' | 'end') {
    if (body.previewDigest === undefined) return;
    if ((await stopPreview(actor, id, body.from, stop)).digest !== body.previewDigest) {
      throw conflict('What this would cancel or refund has changed since it was shown: look again before confirming', 'preview_changed');
    }
  }

  return {
    ...series,
    stopPreview,
    change: async (actor: Actor | null, id: string, body: Parameters<typeof series.change>[2]) => settle(actor, await series.change(actor, id, body)),
    pause: async (actor: Actor | null, id: string, body: Parameters<typeof series.pause>[2]) => {
      await asShown(actor, id, body, 'pause');
      return settle(actor, await series.pause(actor, id, body), body.reason);
    },
    end: async (actor: Actor | null, id: string, body: Parameters<typeof series.end>[2]) => {
      await asShown(actor, id, body, 'end');
      return settle(actor, await series.end(actor, id, body), body.reason);
    },
  };
}
