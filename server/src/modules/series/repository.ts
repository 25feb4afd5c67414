import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';
import { feeRateAtSql } from '../fees/index.js';
import { visitChargeSession } from '../payments/index.js';
import { arrayLiteral } from '../../lib/sql-arrays.js';

const { bookingSeries, bookingSeriesRules, bookingSeriesWorkers, bookingSeriesGaps, bookings, listings, coops, users, payments } = schema;

export type SeriesRow = typeof bookingSeries.$inferSelect;
export type RuleRow = typeof bookingSeriesRules.$inferSelect;
export type GapRow = typeof bookingSeriesGaps.$inferSelect;

export async function insertSeries(tx: Tx, values: typeof bookingSeries.$inferInsert): Promise<SeriesRow> {
  const [row] = await tx.insert(bookingSeries).values(values).returning();
  return row!;
}

export async function insertRule(tx: Tx, values: typeof bookingSeriesRules.$inferInsert) {
  await tx.insert(bookingSeriesRules).values(values).onConflictDoUpdate({
    target: [bookingSeriesRules.seriesId, bookingSeriesRules.startsOn],
    set: { frequency: values.frequency, time: values.time, until: values.until ?? null },
  });
}

/**
 * Rules end by `lastDay`. For a change (`replaced`), rules that would start after it go: a new rule
 * takes over. For an end they stay, ending before they start, so the series keeps what was booked.
 */
export async function endRulesBefore(tx: Tx, seriesId: string, lastDay: string, replaced = true): Promise<RuleRow[]> {
  const gone = replaced
    ? await tx.delete(bookingSeriesRules).where(and(eq(bookingSeriesRules.seriesId, seriesId), sql`${bookingSeriesRules.startsOn} > ${lastDay}`)).returning()
    : [];
  await tx.update(bookingSeriesRules).set({ until: sql`LEAST(coalesce(${bookingSeriesRules.until}, ${lastDay}::date), ${lastDay}::date)` })
    .where(eq(bookingSeriesRules.seriesId, seriesId));
  return gone;
}

export async function rulesOf(tx: Tx, seriesIds: string[]): Promise<RuleRow[]> {
  if (seriesIds.length === 0) return [];
  return tx.select().from(bookingSeriesRules).where(inArray(bookingSeriesRules.seriesId, seriesIds)).orderBy(asc(bookingSeriesRules.startsOn));
}

export async function findSeries(tx: Tx, id: string) {
  const [row] = await tx
    .select({ series: bookingSeries, listingTitleFr: listings.titleFr, listingTitleEn: listings.titleEn, locationMode: listings.locationMode, coopSlug: coops.slug, coopName: coops.legalName, clientName: users.name })
    .from(bookingSeries)
    .innerJoin(listings, eq(listings.id, bookingSeries.listingId))
    .innerJoin(coops, eq(coops.id, bookingSeries.coopId))
    .innerJoin(users, eq(users.id, bookingSeries.clientId))
    .where(eq(bookingSeries.id, id));
  return row;
}
export type SeriesJoined = NonNullable<Awaited<ReturnType<typeof findSeries>>>;

export async function lockSeries(tx: Tx, id: string): Promise<SeriesRow | undefined> {
  const [row] = await tx.select().from(bookingSeries).where(eq(bookingSeries.id, id)).for('update');
  return row;
}

export async function updateSeries(tx: Tx, id: string, values: Partial<typeof bookingSeries.$inferInsert>): Promise<SeriesRow> {
  const [row] = await tx.update(bookingSeries).set({ ...values, updatedAt: new Date() }).where(eq(bookingSeries.id, id)).returning();
  return row!;
}

export async function listSeries(tx: Tx, f: { clientId?: string; coopId?: string }) {
  const where = f.clientId ? eq(bookingSeries.clientId, f.clientId) : eq(bookingSeries.coopId, f.coopId!);
  return tx
    .select({ series: bookingSeries, listingTitleFr: listings.titleFr, listingTitleEn: listings.titleEn, locationMode: listings.locationMode, coopSlug: coops.slug, coopName: coops.legalName, clientName: users.name })
    .from(bookingSeries)
    .innerJoin(listings, eq(listings.id, bookingSeries.listingId))
    .innerJoin(coops, eq(coops.id, bookingSeries.coopId))
    .innerJoin(users, eq(users.id, bookingSeries.clientId))
    .where(where)
    .orderBy(sql`${bookingSeries.createdAt} DESC`)
    .limit(200);
}

/** A visit still unpaid whose charge to the saved card was refused (or found no card): the client must pay it. */
// Columns named in full: inside the subquery a bare "id" would be the payment's.
const awaitsClientPayment = sql<boolean>`(bookings.state = 'accepted' AND EXISTS (
  SELECT 1 FROM payments p WHERE p.booking_id = bookings.id AND p.checkout_session_id = ${visitChargeSession('')} || bookings.id::text AND p.status = 'expired'))`;

export type VisitOfSeries = Awaited<ReturnType<typeof visitsOf>>[number];

export async function visitsOf(tx: Tx, seriesIds: string[]) {
  if (seriesIds.length === 0) return [];
  return tx
    .select({ id: bookings.id, seriesId: bookings.seriesId, date: bookings.seriesDate, startsAt: bookings.startsAt, state: bookings.state, toPay: awaitsClientPayment, createdAt: bookings.createdAt })
    .from(bookings)
    .where(inArray(bookings.seriesId, seriesIds))
    // Several bookings of one date and start (paused, resumed): the latest last.
    .orderBy(asc(bookings.startsAt), asc(bookings.createdAt), asc(bookings.id));
}

/** What was refunded on each of these visits (taxes included), by booking; those with nothing refunded are left out. */
export async function refundedOf(tx: Tx, bookingIds: string[]): Promise<Map<string, number>> {
  if (bookingIds.length === 0) return new Map();
  const rows = await tx.select({ bookingId: payments.bookingId, cents: sql<number>`sum(${payments.refundedCents})::int` })
    .from(payments).where(and(inArray(payments.bookingId, bookingIds), sql`${payments.refundedCents} > 0`)).groupBy(payments.bookingId);
  return new Map(rows.map((r) => [r.bookingId, Number(r.cents)]));
}

/** Has the client a live visit of regular visits on this listing starting then? */
export async function hasVisitAt(tx: Tx, clientId: string, listingId: string, startsAt: Date): Promise<boolean> {
  const [row] = await tx.select({ id: bookings.id }).from(bookings)
    .where(and(eq(bookings.clientId, clientId), eq(bookings.listingId, listingId), isNotNull(bookings.seriesId), eq(bookings.startsAt, startsAt),
      inArray(bookings.state, ['requested', 'accepted', 'paid'])))
    .limit(1);
  return row !== undefined;
}

/** The visits of a series from a date on: by the rule's date, or by the local day a moved one now starts on. */
export async function lockVisitsFrom(tx: Tx, seriesId: string, fromDate: string) {
  return tx.select().from(bookings)
    .where(and(eq(bookings.seriesId, seriesId),
      sql`(${bookings.seriesDate} >= ${fromDate}::date OR (${bookings.startsAt} AT TIME ZONE ${bookings.timeZone})::date >= ${fromDate}::date)`))
    .orderBy(asc(bookings.startsAt))
    .for('update');
}

/** The visits of a series whose rule's date is on or after a date, wherever they were moved (what a change of the rule replaces). */
export async function lockVisitsOfDatesFrom(tx: Tx, seriesId: string, fromDate: string) {
  return tx.select().from(bookings)
    .where(and(eq(bookings.seriesId, seriesId), sql`${bookings.seriesDate} >= ${fromDate}::date`))
    .orderBy(asc(bookings.startsAt))
    .for('update');
}

/** The team of some series: only people still members of its co-op are assigned to its visits or shown. */
export async function teamOf(tx: Tx, seriesIds: string[]) {
  if (seriesIds.length === 0) return [];
  return tx
    .select({ seriesId: bookingSeriesWorkers.seriesId, userId: bookingSeriesWorkers.userId, name: users.name })
    .from(bookingSeriesWorkers)
    .innerJoin(users, eq(users.id, bookingSeriesWorkers.userId))
    .innerJoin(bookingSeries, eq(bookingSeries.id, bookingSeriesWorkers.seriesId))
    .innerJoin(schema.coopMembers, and(eq(schema.coopMembers.coopId, bookingSeries.coopId), eq(schema.coopMembers.userId, bookingSeriesWorkers.userId)))
    .where(inArray(bookingSeriesWorkers.seriesId, seriesIds));
}

/** Someone who leaves a co-op leaves the teams of its series (in the caller's transaction). */
export async function leaveTeams(tx: Tx, coopId: string, userId: string) {
  await tx.delete(bookingSeriesWorkers).where(and(eq(bookingSeriesWorkers.userId, userId),
    inArray(bookingSeriesWorkers.seriesId, tx.select({ id: bookingSeries.id }).from(bookingSeries).where(eq(bookingSeries.coopId, coopId)))));
}

export async function replaceTeam(tx: Tx, seriesId: string, userIds: string[]) {
  await tx.delete(bookingSeriesWorkers).where(eq(bookingSeriesWorkers.seriesId, seriesId));
  if (userIds.length) await tx.insert(bookingSeriesWorkers).values(userIds.map((userId) => ({ seriesId, userId })));
}

export async function gapsOf(tx: Tx, seriesIds: string[]): Promise<GapRow[]> {
  if (seriesIds.length === 0) return [];
  return tx.select().from(bookingSeriesGaps).where(inArray(bookingSeriesGaps.seriesId, seriesIds)).orderBy(asc(bookingSeriesGaps.date));
}

/** A date that could not become a visit; true when it is new (so both sides are told once). */
export async function insertGap(tx: Tx, values: typeof bookingSeriesGaps.$inferInsert): Promise<boolean> {
  const rows = await tx.insert(bookingSeriesGaps).values(values).onConflictDoNothing().returning({ date: bookingSeriesGaps.date });
  return rows.length > 0;
}

/**
 * A date whose visit can no longer happen, for the client to choose again: a new gap, or the one
 * she had settled by moving the visit, open again (the moved visit is the one lost).
 */
export async function openGap(tx: Tx, values: { seriesId: string; date: string; reason: 'closed' | 'taken' }): Promise<boolean> {
  const rows = await tx.insert(bookingSeriesGaps).values(values)
    .onConflictDoUpdate({
      target: [bookingSeriesGaps.seriesId, bookingSeriesGaps.date],
      set: { reason: values.reason, resolution: null, resolvedAt: null },
      setWhere: sql`${bookingSeriesGaps.resolution} = 'moved'`,
    })
    .returning({ date: bookingSeriesGaps.date });
  return rows.length > 0;
}

/** Dates whose moved visit a change of the series cancelled: the rule in force from then on makes them again. */
export async function forgetMoves(tx: Tx, seriesId: string, dates: string[]): Promise<number> {
  if (dates.length === 0) return 0;
  const rows = await tx.delete(bookingSeriesGaps).where(and(eq(bookingSeriesGaps.seriesId, seriesId), inArray(bookingSeriesGaps.date, dates), eq(bookingSeriesGaps.resolution, 'moved')))
    .returning({ date: bookingSeriesGaps.date });
  return rows.length;
}

/**
 * Dates still waiting for the client's choice from a date on, dropped when the rule they came from
 * no longer runs there (changed, paused, ended): the job judges those dates again under the new
 * rule. A choice already made (skipped, moved) stays.
 */
export async function dropOpenGapsFrom(tx: Tx, seriesId: string, fromDate: string) {
  await tx.delete(bookingSeriesGaps).where(and(eq(bookingSeriesGaps.seriesId, seriesId), sql`${bookingSeriesGaps.date} >= ${fromDate}::date`, sql`${bookingSeriesGaps.resolution} IS NULL`));
}

/**
 * A visit ended on its own (cancelled by either side) is a date the rule leaves out from then on:
 * kept as a skipped date, so a later change, pause or resume of the series never makes it again.
 */
export async function skipDate(tx: Tx, seriesId: string, date: string, at: Date) {
  await tx.insert(bookingSeriesGaps).values({ seriesId, date, reason: 'cancelled', resolution: 'skipped', resolvedAt: at })
    .onConflictDoUpdate({ target: [bookingSeriesGaps.seriesId, bookingSeriesGaps.date], set: { resolution: 'skipped', resolvedAt: at } });
}

export async function resolveGap(tx: Tx, seriesId: string, date: string, resolution: 'skipped' | 'moved', at: Date): Promise<boolean> {
  const rows = await tx.update(bookingSeriesGaps).set({ resolution, resolvedAt: at })
    .where(and(eq(bookingSeriesGaps.seriesId, seriesId), eq(bookingSeriesGaps.date, date), sql`${bookingSeriesGaps.resolution} IS NULL`))
    .returning({ date: bookingSeriesGaps.date });
  return rows.length > 0;
}

/** The job's claim on a listing's due series (its own lock space: single bookings never take it). */
const HORIZON_CLAIM = 7_316_484;

/**
 * The job's claim on one listing: the first listing (skipping the ones done this run) with an
 * active series whose horizon is behind and that no other worker holds. A worker holds its listing
 * with a transaction-level advisory lock, tried (never waited on) row by row in the order of the
 * horizon index, so concurrent workers, in this process or in other API instances, each take a whole
 * listing of their own rather than split one between them, and listings done this run are not
 * scanned again (their series have left the index's range).
 */
export async function claimListing(tx: Tx, through: string, skip: string[]): Promise<string | undefined> {
  // OFFSET 0 keeps the lock (volatile) out of the inner scan: it is tried only on due rows, in turn.
  const rows = await tx.execute<{ listing_id: string }>(sql`
    SELECT c.listing_id FROM (
      SELECT d.listing_id FROM booking_series d
      WHERE d.state = 'active' AND d.generated_through < ${through}::date AND (d.ends_on IS NULL OR d.generated_through < d.ends_on)
        AND d.listing_id <> ALL(${arrayLiteral(skip)}::uuid[])
      OFFSET 0) c
    WHERE pg_try_advisory_xact_lock(${HORIZON_CLAIM}, hashtext(c.listing_id::text))
    LIMIT 1`);
  return [...rows][0]?.listing_id;
}

/** A series paused from a later date runs until the day before it: the job makes its visits until then. */
const runningUntilPause = sql`(${bookingSeries.state} = 'active' OR (${bookingSeries.state} = 'paused' AND ${bookingSeries.generatedThrough} < ${bookingSeries.pausedFrom} - 1))`;

/** The same claim for a listing whose due series are all paused from a later date (outside the horizon index). */
export async function claimPausedListing(tx: Tx, through: string, skip: string[]): Promise<string | undefined> {
  const rows = await tx.execute<{ listing_id: string }>(sql`
    SELECT c.listing_id FROM (
      SELECT d.listing_id FROM booking_series d
      WHERE d.state = 'paused' AND d.generated_through < d.paused_from - 1 AND d.generated_through < ${through}::date
        AND (d.ends_on IS NULL OR d.generated_through < d.ends_on) AND d.listing_id <> ALL(${arrayLiteral(skip)}::uuid[])
      OFFSET 0) c
    WHERE pg_try_advisory_xact_lock(${HORIZON_CLAIM}, hashtext(c.listing_id::text))
    LIMIT 1`);
  return [...rows][0]?.listing_id;
}

/** The due series of a claimed listing, locked; one a person is changing right now is left for the next run. */
export async function lockDueSeries(tx: Tx, listingId: string, through: string): Promise<SeriesRow[]> {
  return tx.select().from(bookingSeries)
    .where(and(eq(bookingSeries.listingId, listingId), runningUntilPause, sql`${bookingSeries.generatedThrough} < ${through}::date`,
      sql`(${bookingSeries.endsOn} IS NULL OR ${bookingSeries.generatedThrough} < ${bookingSeries.endsOn})`))
    .orderBy(asc(bookingSeries.id)).limit(2_000).for('update', { skipLocked: true });
}

export async function setGeneratedThrough(tx: Tx, rows: { id: string; through: string }[]) {
  if (rows.length === 0) return;
  await tx.execute(sql`
    UPDATE booking_series s SET generated_through = v.through, updated_at = now()
    FROM unnest(${arrayLiteral(rows.map((r) => r.id))}::uuid[], ${arrayLiteral(rows.map((r) => r.through))}::date[]) AS v(id, through)
    WHERE s.id = v.id`);
}

/** Everything placing a visit needs of the listing: its schedule, whether it is bookable, the fee, the admins. */
export async function listingOfSeries(tx: Tx, listingId: string, at: Date) {
  const [row] = await tx
    .select({
      listing: listings, coopStatus: coops.status, coopSlug: coops.slug, coopName: coops.legalName, schedule: schema.listingSchedules,
      feeRateBps: feeRateAtSql(at),
      chargesEnabled: sql<boolean>`coalesce((SELECT ${schema.coopPaymentAccounts.chargesEnabled} FROM ${schema.coopPaymentAccounts} WHERE ${schema.coopPaymentAccounts.coopId} = ${coops.id}), false)`,
      adminIds: sql<string[]>`ARRAY(SELECT ${schema.coopMembers.userId} FROM ${schema.coopMembers} WHERE ${schema.coopMembers.coopId} = ${coops.id} AND ${schema.coopMembers.role} = 'admin')`,
    })
    .from(listings)
    .innerJoin(coops, eq(coops.id, listings.coopId))
    .leftJoin(schema.listingSchedules, eq(schema.listingSchedules.listingId, listings.id))
    .where(eq(listings.id, listingId));
  return row;
}

/** What the horizon job reads of a listing: whether it can be booked, its hours, its admins. */
export interface HorizonListing {
  bookable: boolean;
  schedule: Omit<typeof schema.listingSchedules.$inferSelect, 'listingId' | 'updatedAt'> | null;
  adminIds: string[];
}

/** What the horizon job reads of the due series of one listing, keyed `seriesId:date` where it is a date. */
export interface HorizonInputs {
  listing: HorizonListing | null;
  rules: Pick<RuleRow, 'seriesId' | 'startsOn' | 'frequency' | 'time' | 'until'>[];
  /** Dates that already have a gap (waiting for the client, or settled). */
  gaps: string[];
  /** Dates that already have a live visit. */
  live: string[];
  /** `seriesId@epoch ms` of the live visits the client moved to another day: a date of a rule that falls at that very time is hers. */
  movedAt: string[];
  /** The team of each series: only people still members of its co-op. */
  team: { seriesId: string; userId: string }[];
}

/**
 * Everything the horizon job reads before placing the visits of some series of one listing, in
 * one statement and one JSON value: the listing, the rules (in order of their start), the dates
 * already known (gaps, live visits) and the teams. As five queries built one by one, they cost the
 * job more Node time per listing than placing its visits did.
 */
export async function horizonInputs(tx: Tx, listingId: string, seriesIds: string[]): Promise<HorizonInputs> {
  const ids = sql`${arrayLiteral(seriesIds)}::uuid[]`;
  const rows = await tx.execute<{ inputs: HorizonInputs }>(sql`
    SELECT json_build_object(
      'listing', (
        SELECT json_build_object(
          'bookable', l.status = 'active' AND c.status = 'approved',
          'adminIds', ARRAY(SELECT m.user_id FROM coop_members m WHERE m.coop_id = c.id AND m.role = 'admin'),
          'schedule', CASE WHEN s.listing_id IS NOT NULL THEN json_build_object(
            'timeZone', s.time_zone, 'weekly', s.weekly, 'exceptions', s.exceptions, 'slotIntervalMinutes', s.slot_interval_minutes,
            'bufferMinutes', s.buffer_minutes, 'minNoticeMinutes', s.min_notice_minutes, 'horizonDays', s.horizon_days, 'capacity', s.capacity,
            'instantBooking', s.instant_booking, 'requestTtlHours', s.request_ttl_hours, 'freeCancellationHours', s.free_cancellation_hours,
            'lateCancellationPercent', s.late_cancellation_percent, 'seriesFrequencies', s.series_frequencies, 'seriesDiscountBps', s.series_discount_bps) END)
        FROM listings l JOIN coops c ON c.id = l.coop_id LEFT JOIN listing_schedules s ON s.listing_id = l.id
        WHERE l.id = ${listingId}),
      'rules', coalesce((
        SELECT json_agg(json_build_object('seriesId', r.series_id, 'startsOn', r.starts_on, 'frequency', r.frequency, 'time', r.time, 'until', r.until)
          ORDER BY r.starts_on)
        FROM booking_series_rules r WHERE r.series_id = ANY(${ids})), '[]'),
      'gaps', ARRAY(SELECT g.series_id || ':' || to_char(g.date, 'YYYY-MM-DD') FROM booking_series_gaps g WHERE g.series_id = ANY(${ids})),
      'live', ARRAY(SELECT b.series_id || ':' || to_char(b.series_date, 'YYYY-MM-DD') FROM bookings b WHERE b.series_id = ANY(${ids}) AND ${LIVE_VISIT_OF_B}),
      'movedAt', ARRAY(SELECT b.series_id || '@' || (date_part('epoch', b.starts_at) * 1000)::bigint FROM bookings b
                       WHERE b.series_id = ANY(${ids}) AND ${LIVE_VISIT_OF_B} AND (b.starts_at AT TIME ZONE b.time_zone)::date <> b.series_date),
      'team', coalesce((
        SELECT json_agg(json_build_object('seriesId', w.series_id, 'userId', w.user_id))
        FROM booking_series_workers w
        JOIN booking_series bs ON bs.id = w.series_id
        JOIN coop_members m ON m.coop_id = bs.coop_id AND m.user_id = w.user_id
        WHERE w.series_id = ANY(${ids})), '[]')
    ) AS inputs`);
  return [...rows][0]!.inputs;
}

/** A live visit (LIVE_VISIT, the one-live-visit index's predicate) of bookings aliased b. */
const LIVE_VISIT_OF_B = sql.raw(`b.state IN ('requested', 'accepted', 'paid', 'completed', 'no_show')`);

/**
 * Dates of a rule whose time a visit the client moved there already holds: settled as moved, as if
 * she had chosen it for them, so no second visit is made at that time, now or after she cancels it.
 */
export async function insertTakenByMoves(tx: Tx, dates: { seriesId: string; date: string }[], at: Date) {
  if (dates.length === 0) return;
  await tx.execute(sql`
    INSERT INTO booking_series_gaps (series_id, date, reason, resolution, resolved_at)
    SELECT v.series_id, v.date, 'client', 'moved', ${at.toISOString()}::timestamptz
    FROM unnest(${arrayLiteral(dates.map((d) => d.seriesId))}::uuid[], ${arrayLiteral(dates.map((d) => d.date))}::date[]) AS v(series_id, date)
    ON CONFLICT DO NOTHING`);
}

/** New gaps, many at once; answers the ones that were not known yet (so both sides are told once). */
export async function insertGaps(tx: Tx, gaps: { seriesId: string; date: string; reason: 'closed' | 'taken' }[]): Promise<{ seriesId: string; date: string }[]> {
  if (gaps.length === 0) return [];
  const rows = await tx.execute<{ series_id: string; date: string }>(sql`
    INSERT INTO booking_series_gaps (series_id, date, reason)
    SELECT * FROM unnest(${arrayLiteral(gaps.map((g) => g.seriesId))}::uuid[], ${arrayLiteral(gaps.map((g) => g.date))}::date[], ${arrayLiteral(gaps.map((g) => g.reason))}::text[])
    ON CONFLICT DO NOTHING
    RETURNING series_id, date::text`);
  return [...rows].map((r) => ({ seriesId: r.series_id, date: r.date }));
}

/**
 * Series that are over: their last date has passed (in their own zone), or they were asked for and
 * every visit lapsed unanswered (returned, so both sides are told once).
 */
export async function endFinishedSeries(tx: Tx, now: Date): Promise<SeriesRow[]> {
  const lapsed = await tx.update(bookingSeries).set({ state: 'ended', endReason: 'lapsed', updatedAt: now })
    .where(sql`${bookingSeries.state} = 'requested' AND NOT EXISTS (SELECT 1 FROM ${bookings} b WHERE b.series_id = ${bookingSeries.id} AND b.state = 'requested')`)
    .returning();
  await tx.update(bookingSeries).set({ state: 'ended', updatedAt: now })
    .where(sql`${bookingSeries.state} IN ('active', 'paused') AND ${bookingSeries.endsOn} < (${now.toISOString()}::timestamptz AT TIME ZONE ${bookingSeries.timeZone})::date`);
  return lapsed;
}

export async function chargesEnabled(tx: Tx, coopId: string): Promise<boolean> {
  const [row] = await tx.select({ on: schema.coopPaymentAccounts.chargesEnabled }).from(schema.coopPaymentAccounts).where(eq(schema.coopPaymentAccounts.coopId, coopId));
  return row?.on ?? false;
}

export async function coopAdminIds(tx: Tx, coopId: string): Promise<string[]> {
  const rows = await tx.select({ userId: schema.coopMembers.userId }).from(schema.coopMembers)
    .where(and(eq(schema.coopMembers.coopId, coopId), eq(schema.coopMembers.role, 'admin')));
  return rows.map((r) => r.userId);
}

/** One client's series are created one at a time, so the limits on running series hold under concurrency. */
export async function lockClient(tx: Tx, clientId: string) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(7316483, hashtext(${clientId}::text))`);
}

export async function runningSeriesOf(tx: Tx, clientId: string, listingId: string): Promise<{ here: number; total: number }> {
  const [row] = await tx.select({
    here: sql<number>`count(*) FILTER (WHERE ${bookingSeries.listingId} = ${listingId})`.mapWith(Number),
    total: sql<number>`count(*)`.mapWith(Number),
  }).from(bookingSeries).where(and(eq(bookingSeries.clientId, clientId), inArray(bookingSeries.state, ['requested', 'active', 'paused'])));
  return row ?? { here: 0, total: 0 };
}

/** The parties of a series and its team, for the access check that runs before a request's body is read. */
export async function partiesOf(tx: Tx, id: string) {
  const [row] = await tx.select({ clientId: bookingSeries.clientId, coopId: bookingSeries.coopId }).from(bookingSeries).where(eq(bookingSeries.id, id));
  if (!row) return undefined;
  const team = await tx.select({ userId: bookingSeriesWorkers.userId }).from(bookingSeriesWorkers).where(eq(bookingSeriesWorkers.seriesId, id));
  return { ...row, team: team.map((t) => t.userId) };
}
