import type { BookingActorRole, SeriesEventDetail, SeriesEventKind } from '@tissu/shared';
import { asc, eq, inArray } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';

const { bookingSeriesEvents, users } = schema;

export interface SeriesActor {
  id: string | null;
  role: BookingActorRole;
}

/** One line of the series' history, in the transaction that made the change. */
export async function recordSeries(
  tx: Tx, seriesId: string, actor: SeriesActor, kind: SeriesEventKind,
  opts: { from?: string | null; reason?: string | null; detail?: SeriesEventDetail } = {},
) {
  await tx.insert(bookingSeriesEvents).values({
    seriesId, actorId: actor.id, actorRole: actor.role, kind, fromDate: opts.from ?? null, reason: opts.reason || null, detail: opts.detail ?? {},
  });
}

/** The same change for many series at once (the job ending those whose request lapsed). */
export async function recordSeriesMany(tx: Tx, seriesIds: string[], kind: SeriesEventKind) {
  if (seriesIds.length === 0) return;
  await tx.insert(bookingSeriesEvents).values(seriesIds.map((seriesId) => ({ seriesId, actorRole: 'system' as const, kind })));
}

export async function historyOf(tx: Tx, seriesIds: string[]) {
  if (seriesIds.length === 0) return [];
  return tx
    .select({
      seriesId: bookingSeriesEvents.seriesId, kind: bookingSeriesEvents.kind, actorRole: bookingSeriesEvents.actorRole, actorName: users.name,
      fromDate: bookingSeriesEvents.fromDate, detail: bookingSeriesEvents.detail, reason: bookingSeriesEvents.reason, createdAt: bookingSeriesEvents.createdAt,
    })
    .from(bookingSeriesEvents)
    .leftJoin(users, eq(users.id, bookingSeriesEvents.actorId))
    .where(inArray(bookingSeriesEvents.seriesId, seriesIds))
    .orderBy(asc(bookingSeriesEvents.id));
}
