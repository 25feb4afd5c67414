import type { BookingActorRole } from '@tissu/shared';
import type { Tx } from '@tissu/db';
import { recordSeries } from './history.js';
import { skipDate } from './repository.js';

/** What the series needs of one of its visits: which series, the rule's date it stands for, and when it is. */
interface Visit {
  id: string;
  seriesId: string | null;
  seriesDate: string | null;
  startsAt: Date;
}

/**
 * A visit of a series cancelled on its own by either side (the series' "skip this one"): its date
 * is left out of the series for good (a later change, pause or resume never makes it again), and
 * the series' history says so beside its own changes, in the same transaction as the cancellation.
 */
export async function visitCancelledAlone(tx: Tx, v: Visit, actor: { id: string; role: BookingActorRole }, reason: string | null, at: Date) {
  if (!v.seriesId || !v.seriesDate) return;
  await skipDate(tx, v.seriesId, v.seriesDate, at);
  await recordSeries(tx, v.seriesId, actor, 'visit_cancelled', { from: v.seriesDate, reason, detail: { startsAt: v.startsAt.toISOString(), bookingId: v.id } });
}

/** A visit of a series moved to another time by either side: the series' history keeps where it was and where it went. */
export async function visitMoved(tx: Tx, before: Visit, after: Visit, actor: { id: string; role: BookingActorRole }) {
  if (!before.seriesId || !before.seriesDate) return;
  await recordSeries(tx, before.seriesId, actor, 'visit_moved', {
    from: before.seriesDate, detail: { movedFrom: before.startsAt.toISOString(), startsAt: after.startsAt.toISOString() },
  });
}
