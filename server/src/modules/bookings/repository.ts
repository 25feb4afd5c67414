import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';
import { ACTIVE_STATES, MAX_HOLD_MINUTES, OPEN_BOOKING_STATES, type AnswerSnapshot, type BookingState, type BusyBooking } from '@tissu/shared';
import { feeRateAtSql } from '../fees/index.js';
import { listingQuestionsColumn } from '../listings/index.js';
import { arrayLiteral } from '../../lib/sql-arrays.js';
import { pgErrorCode } from '../../errors.js';
import { namedStatement, prepared } from '../../lib/prepared.js';

const { bookings, bookingEvents, bookingWorkers, listings, coops, listingSchedules, users, reviews, coopMembers, coopPaymentAccounts, payments } = schema;

export type ReviewRow = typeof reviews.$inferSelect;
export type BookingRow = typeof bookings.$inferSelect;
export type ScheduleRow = typeof listingSchedules.$inferSelect;

/** A listing's booking terms: the columns slots, moves and answers read (not its texts or search vector). */
export async function findListingWithSchedule(db: Tx, listingId: string) {
  const [row] = await db
    .select({
      listing: { id: listings.id, coopId: listings.coopId, status: listings.status, durationMinutes: listings.durationMinutes, priceKind: listings.priceKind, solidarityPriceCents: listings.solidarityPriceCents },
      coopStatus: coops.status,
      schedule: listingSchedules,
    })
    .from(listings)
    .innerJoin(coops, eq(coops.id, listings.coopId))
    .leftJoin(listingSchedules, eq(listingSchedules.listingId, listings.id))
    .where(eq(listings.id, listingId));
  return row;
}

/**
 * Bookings that could overlap choose their capacity unit one after the other, each seeing the
 * units taken before it (left to the exclusion constraint alone, two inserts into one unit could
 * wait on each other inside savepoints, and PostgreSQL sometimes never ended that wait:
 * tests/faults/two-instances.test.ts hung). Two bookings of a listing that overlap share an hour
 * of it, so each takes a lock per hour it holds (start to end of buffer), in ascending order;
 * bookings at other hours go ahead in parallel. A booking holding more than LONG_HOURS takes the
 * listing's lock alone (exclusive) instead, and the others take it shared, so they still meet.
 */
const LISTING_LOCK = 7_316_482;
/**
 * A client's new bookings are made one after the other, each counting the open ones made before
 * it (OPEN_BOOKINGS_PER_LISTING, OPEN_BOOKINGS_PER_CLIENT): fifty requests sent at once would
 * otherwise all count none. Other clients are not held up.
 */
const CLIENT_LOCK = 7_316_483;
const LONG_HOURS = 48;
const HOUR_MS = 3_600_000;

/**
 * Takes the booking lock for [start, blockedUntil) of a listing, in one statement: the listing's
 * lock shared then each hour held, in ascending order (the first row of the union runs first), or
 * the listing's lock exclusive alone for a booking over LONG_HOURS. The next statement reads with a
 * snapshot taken after it.
 */
export async function lockBookingTimes(db: Tx, listingId: string, start: Date, blockedUntil: Date, clientId?: string) {
  const from = Math.floor(start.getTime() / HOUR_MS);
  const to = Math.floor((blockedUntil.getTime() - 1) / HOUR_MS);
  // A new booking first takes its client's lock (see CLIENT_LOCK), always before the listing's.
  const long = to - from + 1 > LONG_HOURS;
  const params = long ? [listingId] : [listingId, from, to];
  await namedStatement(db, LOCK_TEXT[`${clientId ? 'client' : 'none'}:${long ? 'long' : 'hours'}`], clientId ? [...params, clientId] : params);
}

/** The statements lockBookingTimes sends ($1 the listing; $2, $3 the hours; the client last), written once. */
const LOCK_TEXT = (() => {
  const key = 'hashtext($1::text)';
  const client = (n: number) => `SELECT pg_advisory_xact_lock(${CLIENT_LOCK}, hashtext($${n}::text)) UNION ALL `;
  const long = `SELECT pg_advisory_xact_lock(${LISTING_LOCK}, ${key})`;
  const hours = `SELECT CASE WHEN h IS NULL THEN pg_advisory_xact_lock_shared(${LISTING_LOCK}, ${key}) ELSE pg_advisory_xact_lock(${key}, h) END
    FROM (SELECT NULL::int AS h UNION ALL SELECT generate_series($2::int, $3::int)) AS held`;
  return { 'none:long': long, 'none:hours': hours, 'client:long': client(2) + long, 'client:hours': client(4) + hours };
})();

/**
 * The client's open bookings (requested, or accepted and not paid), on this listing and in all; one
 * whose answer or payment window has passed no longer counts, whether or not the expiry job has run.
 * Read after lockBookingTimes, so it sees every booking of this client committed before.
 */
export async function openBookingsOf(db: Tx, clientId: string, listingId: string, at: Date): Promise<{ here: number; total: number }> {
  const [row] = await openBookingsQuery(db, { clientId, listingId, at: at.toISOString() });
  return row ?? { here: 0, total: 0 };
}

const openBookingsQuery = prepared((db) => db
  .select({
    here: sql<number>`count(*) FILTER (WHERE ${bookings.listingId} = ${sql.placeholder('listingId')})`.mapWith(Number),
    total: sql<number>`count(*)`.mapWith(Number),
  })
  .from(bookings)
  .where(
    and(
      eq(bookings.clientId, sql.placeholder('clientId')),
      // A series' visits wait for their charge by design: the series is one request, not eight.
      isNull(bookings.seriesId),
      inArray(bookings.state, [...OPEN_BOOKING_STATES]),
      sql`(${bookings.expiresAt} IS NULL OR ${bookings.expiresAt} > ${sql.placeholder('at')}::timestamptz)`,
    ),
  )
  .prepare('open_bookings_of'));

/** Everything creating a booking needs to know about its listing, its co-op and the client, in one statement. */
export async function listingForBooking(db: Tx, listingId: string, clientId: string, at: Date) {
  const [row] = await listingForBookingQuery(db, { listingId, clientId, at: at.toISOString() });
  return row;
}

const listingForBookingQuery = prepared((db) => {
  const clientId = sql.placeholder('clientId');
  return db
    .select({
      listing: listings,
      coopStatus: coops.status,
      coopSlug: coops.slug,
      coopName: coops.legalName,
      autoAssign: coops.autoAssign,
      schedule: listingSchedules,
      feeRateBps: feeRateAtSql(sql.placeholder('at')),
      chargesEnabled: sql<boolean>`coalesce((SELECT ${coopPaymentAccounts.chargesEnabled} FROM ${coopPaymentAccounts} WHERE ${coopPaymentAccounts.coopId} = ${coops.id}), false)`,
      adminIds: sql<string[]>`ARRAY(SELECT ${coopMembers.userId} FROM ${coopMembers} WHERE ${coopMembers.coopId} = ${coops.id} AND ${coopMembers.role} = 'admin')`,
      clientRole: sql<'admin' | 'worker' | null>`(SELECT ${coopMembers.role} FROM ${coopMembers} WHERE ${coopMembers.coopId} = ${coops.id} AND ${coopMembers.userId} = ${clientId}::uuid)`,
      clientName: sql<string>`(SELECT ${users.name} FROM ${users} WHERE ${users.id} = ${clientId}::uuid)`,
      // Its booking questions, to check the answers against: read here rather than in a round trip of their own.
      questions: listingQuestionsColumn(listings.id),
    })
    .from(listings)
    .innerJoin(coops, eq(coops.id, listings.coopId))
    .leftJoin(listingSchedules, eq(listingSchedules.listingId, listings.id))
    .where(eq(listings.id, sql.placeholder('listingId')))
    .prepare('listing_for_booking');
});

/**
 * Whether PostgreSQL knows the zone: Node (ICU) accepts some names its time zone data does not, such
 * as "US/Pacific-New", and the database computes in the schedule's zone (migration 0056's copies).
 */
export async function databaseKnowsZone(db: Tx, zone: string): Promise<boolean> {
  try {
    await db.execute(sql`SELECT now() AT TIME ZONE ${zone}`);
    return true;
  } catch (err) {
    if (pgErrorCode(err) === '22023') return false;
    throw err;
  }
}

export async function upsertSchedule(db: Tx, values: typeof listingSchedules.$inferInsert) {
  const { listingId, ...rest } = values;
  const [row] = await db
    .insert(listingSchedules)
    .values(values)
    .onConflictDoUpdate({ target: listingSchedules.listingId, set: { ...rest, updatedAt: new Date() } })
    .returning();
  return row!;
}

/** The states that hold time (the exclusion constraint's), written into the statements below. */
const HOLDS_TIME_LIST = ACTIVE_STATES.map((st) => `'${st}'`).join(', ');

/**
 * Live bookings of a listing that hold time between `from` and `to`: only what the slot code
 * reads, as one JSON row of three arrays (start and end in milliseconds, unit). A listing with 200
 * regular visits a week answered its slots 28 % slower when each booking came back as a row whose
 * two dates were parsed one by one; the arrays cost PostgreSQL little (date_part is a float, where
 * extract's numeric doubled the statement's time) and Node one JSON.parse.
 */
export async function busyBookings(db: Tx, listingId: string, from: Date, to: Date, exceptId?: string): Promise<BusyBooking[]> {
  const params = [listingId, to.toISOString(), from.toISOString(), new Date(from.getTime() - MAX_HOLD_MINUTES * 60_000).toISOString()];
  const rows = await namedStatement<{ busy: { start: number[] | null; end: number[] | null; unit: number[] | null } }>(
    db, exceptId ? BUSY_EXCEPT_TEXT : BUSY_TEXT, exceptId ? [...params, exceptId] : params);
  const { start, end, unit } = rows[0]!.busy;
  if (!start || !end || !unit) return [];
  return start.map((s, i) => ({ start: new Date(s), end: new Date(end[i]!), unit: unit[i]! }));
}

const BUSY_TEXT = (() => {
  const ms = (column: string) => `array_agg((date_part('epoch', ${column}) * 1000)::bigint)`;
  return `SELECT json_build_object('start', ${ms('starts_at')}, 'end', ${ms('ends_at')}, 'unit', array_agg(unit)) AS busy
    FROM bookings
    WHERE listing_id = $1::uuid AND state IN (${HOLDS_TIME_LIST})
      AND starts_at < $2::timestamptz AND blocked_until > $3::timestamptz
      AND starts_at > $4::timestamptz`;
})();
const BUSY_EXCEPT_TEXT = `${BUSY_TEXT} AND id <> $5::uuid`;

/** What creating a booking writes (POST /bookings): every column it sets, none left to its default. */
export type NewBooking = Required<Pick<typeof bookings.$inferInsert, (typeof NEW_BOOKING_COLUMNS)[number]>>;
const NEW_BOOKING_COLUMNS = [
  'id', 'listingId', 'coopId', 'clientId', 'state', 'startsAt', 'endsAt', 'blockedUntil', 'unit', 'timeZone', 'durationMinutes',
  'regularPriceCents', 'priceCents', 'solidarityRequested', 'organizationName', 'address', 'entryNotes', 'notes', 'contactName',
  'contactPhone', 'contactEmail', 'freeCancellationHours', 'lateCancellationPercent', 'noShowPercent', 'feeRateBps', 'answers', 'expiresAt',
] as const;

/** A new booking, as insertBooking writes one, through a statement built once (booking creation is the hot path). */
export function insertNewBooking(db: Tx, values: NewBooking): Promise<BookingRow> {
  return insertNewBookingQuery(db, values).then((rows) => rows[0]!);
}

const insertNewBookingQuery = prepared((db) => db
  .insert(bookings)
  .values(Object.fromEntries(NEW_BOOKING_COLUMNS.map((c) => [c, sql.placeholder(c)])) as unknown as typeof bookings.$inferInsert)
  .returning()
  .prepare('insert_new_booking'));

/** A booking's 'created' history row, as insertEvent writes it, through a statement built once. */
export function insertCreatedEvent(db: Tx, values: { bookingId: string; actorId: string; actorRole: 'client'; toState: BookingState }) {
  return insertCreatedEventQuery(db, values).then((rows) => rows[0]!);
}

const insertCreatedEventQuery = prepared((db) => db
  .insert(bookingEvents)
  .values({
    bookingId: sql.placeholder('bookingId'), actorId: sql.placeholder('actorId'), actorRole: sql.placeholder('actorRole'),
    kind: 'created', fromState: null, toState: sql.placeholder('toState'),
  })
  .returning()
  .prepare('insert_created_event'));

export async function insertBooking(db: Tx, values: typeof bookings.$inferInsert): Promise<BookingRow> {
  const [row] = await db.insert(bookings).values(values).returning();
  return row!;
}

/** A listing's live bookings (single ones and visits) that start after `from`, in time order. */
export async function liveBookingsFrom(db: Tx, listingId: string, from: Date) {
  return db.select({ id: bookings.id, startsAt: bookings.startsAt, durationMinutes: bookings.durationMinutes, state: bookings.state, seriesId: bookings.seriesId })
    .from(bookings)
    .where(and(eq(bookings.listingId, listingId), inArray(bookings.state, ['requested', 'accepted', 'paid']), sql`${bookings.startsAt} > ${from.toISOString()}::timestamptz`))
    .orderBy(asc(bookings.startsAt));
}

/** The whole listing's calendar, for placing many visits at once (a single booking waits meanwhile). */
export async function lockListing(db: Tx, listingId: string) {
  // Sent as the busy times it is paired with are (visits.ts, lockCalendar), so it goes out first.
  await namedStatement(db, LOCK_TEXT['none:long'], [listingId]);
}

/** What every visit of one series copies from it (the series' terms). */
export interface VisitTermsRow {
  seriesId: string; listingId: string; coopId: string; clientId: string; timeZone: string; durationMinutes: number;
  regularPriceCents: number; priceCents: number; address: string; notes: string; entryNotes: string; contactName: string; contactPhone: string;
  contactEmail: string; freeCancellationHours: number; lateCancellationPercent: number; feeRateBps: number;
  /** The answers and add-ons the series was booked with: every visit carries a copy (bookings.answers, booking_addons). */
  answers: AnswerSnapshot[]; addons: VisitAddon[];
  /** The taxes of the offer a series was made from (bookings.gst_registered, qst_registered); null otherwise. */
  gstRegistered: boolean | null; qstRegistered: boolean | null;
}

/** An add-on as a visit copies it from its series; an id the listing no longer has is written null. */
export interface VisitAddon { addonId: string | null; nameFr: string; nameEn: string; priceCents: number; extraMinutes: number }

export interface VisitRow {
  terms: VisitTermsRow; seriesDate: string; state: BookingState;
  /** Instants in milliseconds since the epoch: they travel as numbers, not dates written out. */
  startsAt: number; endsAt: number; blockedUntil: number; expiresAt: number; unit: number;
  /** The workers assigned to the visit. */
  team: string[];
}

/**
 * Visits of series, many at once, with each one's 'created' history row and its team, in one
 * statement. Each column travels as one array parameter (a multi-row VALUES through the query
 * builder cost a second of CPU per 8,000 visits), the terms once per series rather than once per
 * visit, instants as milliseconds, and the history and team rows are written from what the insert
 * returns. A date of a series that already has a live visit is left out (the one-live-visit
 * index), with its history and team. Answers the visits made, as `seriesId:date`.
 */
export async function insertVisits(db: Tx, rows: VisitRow[], actor: { id: string | null; role: 'client' | 'system' }): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const termsIndex = new Map<VisitTermsRow, number>();
  for (const r of rows) if (!termsIndex.has(r.terms)) termsIndex.set(r.terms, termsIndex.size + 1);
  const terms = [...termsIndex.keys()];
  const t = (f: (t: VisitTermsRow) => string | number) => arrayLiteral(terms.map(f));
  // A registration travels as text ('' for none): the array literals carry strings and numbers only.
  const taxed = (r: boolean | null) => (r === null ? '' : String(r));
  const v = (f: (r: VisitRow) => string | number) => arrayLiteral(rows.map(f));
  const at = (column: string) => sql.raw(`to_timestamp(v.${column} / 1000.0)`);
  const team = rows.flatMap((r) => r.team.map((userId) => [r.terms.seriesId, r.seriesDate, userId] as const));
  const made = await db.execute<{ made: string[] }>(sql`
    WITH terms AS (
      SELECT * FROM unnest(${t((x) => x.seriesId)}::uuid[], ${t((x) => x.listingId)}::uuid[], ${t((x) => x.coopId)}::uuid[], ${t((x) => x.clientId)}::uuid[],
        ${t((x) => x.timeZone)}::text[], ${t((x) => x.durationMinutes)}::int[], ${t((x) => x.regularPriceCents)}::int[], ${t((x) => x.priceCents)}::int[],
        ${t((x) => x.address)}::text[], ${t((x) => x.notes)}::text[], ${t((x) => x.contactName)}::text[], ${t((x) => x.contactPhone)}::text[],
        ${t((x) => x.contactEmail)}::text[], ${t((x) => x.freeCancellationHours)}::int[], ${t((x) => x.lateCancellationPercent)}::int[], ${t((x) => x.feeRateBps)}::int[],
        ${t((x) => x.entryNotes)}::text[], ${t((x) => JSON.stringify(x.answers))}::jsonb[], ${t((x) => JSON.stringify(x.addons))}::jsonb[],
        ${t((x) => taxed(x.gstRegistered))}::text[], ${t((x) => taxed(x.qstRegistered))}::text[])
        WITH ORDINALITY AS t(series_id, listing_id, coop_id, client_id, time_zone, duration_minutes, regular_price_cents, price_cents, address, notes,
                             contact_name, contact_phone, contact_email, free_cancellation_hours, late_cancellation_percent, fee_rate_bps, entry_notes,
                             answers, addons, gst_registered, qst_registered, n)
    ), made AS (
      INSERT INTO bookings (series_id, series_date, listing_id, coop_id, client_id, state, starts_at, ends_at, blocked_until, unit, time_zone,
                            duration_minutes, regular_price_cents, price_cents, address, notes, contact_name, contact_phone, contact_email,
                            free_cancellation_hours, late_cancellation_percent, fee_rate_bps, expires_at, no_show_percent, entry_notes, answers,
                            gst_registered, qst_registered)
      SELECT t.series_id, v.series_date, t.listing_id, t.coop_id, t.client_id, v.state, ${at('starts_at')}, ${at('ends_at')}, ${at('blocked_until')}, v.unit,
             t.time_zone, t.duration_minutes, t.regular_price_cents, t.price_cents, t.address, t.notes, t.contact_name, t.contact_phone, t.contact_email,
             t.free_cancellation_hours, t.late_cancellation_percent, t.fee_rate_bps, ${at('expires_at')}, coalesce(ls.no_show_percent, 100), t.entry_notes, t.answers,
             nullif(t.gst_registered, '')::boolean, nullif(t.qst_registered, '')::boolean
      FROM unnest(${v((r) => termsIndex.get(r.terms)!)}::int[], ${v((r) => r.seriesDate)}::date[], ${v((r) => r.state)}::text[],
                  ${v((r) => r.startsAt)}::int8[], ${v((r) => r.endsAt)}::int8[], ${v((r) => r.blockedUntil)}::int8[],
                  ${v((r) => r.unit)}::int[], ${v((r) => r.expiresAt)}::int8[])
        AS v(term, series_date, state, starts_at, ends_at, blocked_until, unit, expires_at)
      JOIN terms t ON t.n = v.term
      -- A visit keeps the listing's no-show share of when it is made, as a single booking does.
      LEFT JOIN listing_schedules ls ON ls.listing_id = t.listing_id
      ON CONFLICT (series_id, series_date) WHERE ${schema.LIVE_VISIT} DO NOTHING
      RETURNING id, series_id, series_date, state
    ), history AS (
      INSERT INTO booking_events (booking_id, actor_id, actor_role, kind, from_state, to_state)
      SELECT id, ${actor.id}::uuid, ${actor.role}, 'created', NULL, state FROM made
    ), team AS (
      INSERT INTO booking_workers (booking_id, user_id)
      SELECT made.id, w.user_id FROM made
      JOIN unnest(${arrayLiteral(team.map((w) => w[0]))}::uuid[], ${arrayLiteral(team.map((w) => w[1]))}::date[], ${arrayLiteral(team.map((w) => w[2]))}::uuid[])
        AS w(series_id, series_date, user_id) ON w.series_id = made.series_id AND w.series_date = made.series_date
    ), extras AS (
      -- The series' add-ons, copied to each visit made; one the listing removed since names no add-on.
      INSERT INTO booking_addons (booking_id, position, addon_id, name_fr, name_en, price_cents, extra_minutes)
      SELECT made.id, a.n - 1, la.id, a.x->>'nameFr', a.x->>'nameEn', (a.x->>'priceCents')::int, (a.x->>'extraMinutes')::int
      FROM made
      JOIN (SELECT DISTINCT ON (series_id) series_id, addons FROM terms) t ON t.series_id = made.series_id
      CROSS JOIN LATERAL jsonb_array_elements(t.addons) WITH ORDINALITY AS a(x, n)
      LEFT JOIN listing_addons la ON la.id = (a.x->>'addonId')::uuid
    )
    SELECT coalesce(json_agg(series_id || ':' || to_char(series_date, 'YYYY-MM-DD')), '[]') AS made FROM made`);
  return new Set([...made][0]!.made);
}

/**
 * Whether a booking's time was agreed in an offer: a quote's booking, or a visit of a series made
 * from an offer (its visits carry no quote_id; their series does).
 */
export async function agreedInOffer(db: Tx, b: Pick<BookingRow, 'quoteId' | 'seriesId'>): Promise<boolean> {
  if (b.quoteId) return true;
  if (!b.seriesId) return false;
  const [s] = await db.select({ quoteId: schema.bookingSeries.quoteId }).from(schema.bookingSeries).where(eq(schema.bookingSeries.id, b.seriesId));
  return Boolean(s?.quoteId);
}

/** Which of these series were made from an offer. */
export async function quotedSeries(db: Tx, seriesIds: string[]): Promise<Set<string>> {
  if (seriesIds.length === 0) return new Set();
  const rows = await db.select({ id: schema.bookingSeries.id }).from(schema.bookingSeries)
    .where(and(inArray(schema.bookingSeries.id, seriesIds), sql`${schema.bookingSeries.quoteId} IS NOT NULL`));
  return new Set(rows.map((r) => r.id));
}

/** A visit of a series; none when that date of the series already has one (the job ran twice, or at once). */
export async function insertVisit(db: Tx, values: typeof bookings.$inferInsert): Promise<BookingRow | undefined> {
  const [row] = await db.insert(bookings).values(values).onConflictDoNothing({ target: [bookings.seriesId, bookings.seriesDate], where: schema.LIVE_VISIT }).returning();
  return row;
}

export async function lockBooking(db: Tx, id: string): Promise<BookingRow | undefined> {
  const [row] = await db.select().from(bookings).where(eq(bookings.id, id)).for('update');
  return row;
}

export async function updateBooking(db: Tx, id: string, values: Partial<typeof bookings.$inferInsert>): Promise<BookingRow> {
  const [row] = await db.update(bookings).set({ ...values, updatedAt: new Date() }).where(eq(bookings.id, id)).returning();
  return row!;
}

/** `stampNow`: created_at is the instant of the insert (clock_timestamp), not the transaction's start. */
export async function insertEvent(db: Tx, values: typeof bookingEvents.$inferInsert, opts: { stampNow?: boolean } = {}) {
  const [row] = await db.insert(bookingEvents).values(opts.stampNow ? { ...values, createdAt: sql`clock_timestamp()` } : values).returning();
  return row!;
}

export async function coopAdminIds(db: Tx, coopId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: coopMembers.userId })
    .from(coopMembers)
    .where(and(eq(coopMembers.coopId, coopId), eq(coopMembers.role, 'admin')));
  return rows.map((r) => r.userId);
}

/** Everyone in the co-op, by name: the people an admin may assign. */
export async function coopTeam(db: Tx, coopId: string) {
  return db
    .select({ userId: coopMembers.userId, name: users.name, role: coopMembers.role })
    .from(coopMembers)
    .innerJoin(users, eq(users.id, coopMembers.userId))
    .where(eq(coopMembers.coopId, coopId))
    .orderBy(users.name, coopMembers.userId);
}

/** Of `userIds`, the members of the co-op, with their names (an assignment's 409 names who is not free). */
export async function coopMembersNamed(db: Tx, coopId: string, userIds: string[]): Promise<{ userId: string; name: string }[]> {
  if (userIds.length === 0) return [];
  return db
    .select({ userId: coopMembers.userId, name: users.name })
    .from(coopMembers)
    .innerJoin(users, eq(users.id, coopMembers.userId))
    .where(and(eq(coopMembers.coopId, coopId), inArray(coopMembers.userId, userIds)));
}

export async function replaceWorkers(db: Tx, bookingId: string, userIds: string[]) {
  await db.delete(bookingWorkers).where(eq(bookingWorkers.bookingId, bookingId));
  if (userIds.length) await db.insert(bookingWorkers).values(userIds.map((userId) => ({ bookingId, userId })));
}

export async function recordMinutes(db: Tx, bookingId: string, userId: string, minutes: number) {
  await db
    .update(bookingWorkers)
    .set({ minutesDelivered: minutes })
    .where(and(eq(bookingWorkers.bookingId, bookingId), eq(bookingWorkers.userId, userId)));
}

export async function workersOf(db: Tx, bookingIds: string[]) {
  if (bookingIds.length === 0) return [];
  return db
    .select({ bookingId: bookingWorkers.bookingId, userId: bookingWorkers.userId, name: users.name, minutesDelivered: bookingWorkers.minutesDelivered, minutesReported: bookingWorkers.minutesReported })
    .from(bookingWorkers)
    .innerJoin(users, eq(users.id, bookingWorkers.userId))
    .where(inArray(bookingWorkers.bookingId, bookingIds))
    .orderBy(asc(users.name));
}

/** What each booking's client paid (taxes included) and got back, for the bookings that were paid. */
export async function paidOf(db: Tx, bookingIds: string[]): Promise<{ bookingId: string; totalCents: number; refundedCents: number }[]> {
  if (bookingIds.length === 0) return [];
  return db
    // Summed: a quote paid with a deposit has two payments (deposit and balance).
    .select({ bookingId: payments.bookingId, totalCents: sql<number>`sum(${payments.totalCents})::int`, refundedCents: sql<number>`sum(${payments.refundedCents})::int` })
    .from(payments)
    .where(and(inArray(payments.bookingId, bookingIds), inArray(payments.status, ['paid', 'refunded', 'partially_refunded'])))
    .groupBy(payments.bookingId);
}

export async function eventsOf(db: Tx, bookingIds: string[]) {
  if (bookingIds.length === 0) return [];
  return db
    .select({ event: bookingEvents, actorName: users.name })
    .from(bookingEvents)
    .leftJoin(users, eq(users.id, bookingEvents.actorId))
    .where(inArray(bookingEvents.bookingId, bookingIds))
    .orderBy(asc(bookingEvents.id));
}

/** When the co-op accepted the request (null: not accepted by the co-op, e.g. booked instantly). */
export async function coopAcceptedAt(db: Tx, bookingId: string): Promise<Date | null> {
  const [row] = await db
    .select({ at: bookingEvents.createdAt })
    .from(bookingEvents)
    .where(and(eq(bookingEvents.bookingId, bookingId), eq(bookingEvents.toState, 'accepted'), eq(bookingEvents.actorRole, 'coop_admin'), eq(bookingEvents.kind, 'transition')))
    .orderBy(desc(bookingEvents.id))
    .limit(1);
  return row?.at ?? null;
}

export async function reviewsOfBookings(db: Tx, bookingIds: string[]) {
  if (bookingIds.length === 0) return [];
  return db
    .select({ review: reviews, authorName: users.name })
    .from(reviews)
    .innerJoin(users, eq(users.id, reviews.clientId))
    .where(inArray(reviews.bookingId, bookingIds));
}

const bookingSelection = {
  booking: bookings,
  listingTitleFr: listings.titleFr,
  listingTitleEn: listings.titleEn,
  locationMode: listings.locationMode,
  coopSlug: coops.slug,
  coopName: coops.legalName,
  clientName: users.name,
};

function bookingQuery(db: Tx) {
  return db
    .select(bookingSelection)
    .from(bookings)
    .innerJoin(listings, eq(listings.id, bookings.listingId))
    .innerJoin(coops, eq(coops.id, bookings.coopId))
    .innerJoin(users, eq(users.id, bookings.clientId));
}
export type BookingJoined = Awaited<ReturnType<typeof findBooking>> & {};

/** Takes a person off the co-op's bookings that have not started yet (they left the co-op); the ones under way keep their hours. */
export async function unassignFromComingBookings(db: Tx, coopId: string, userId: string, now: Date) {
  await db.execute(sql`
    DELETE FROM booking_workers w USING bookings b
    WHERE w.booking_id = b.id AND w.user_id = ${userId} AND b.coop_id = ${coopId}
      AND b.state IN ('requested', 'accepted', 'paid') AND b.starts_at > ${now.toISOString()}::timestamptz`);
}

/** The two parties of a booking, for the access check that runs before a request's body is read. */
export async function findParties(db: Tx, id: string) {
  const [row] = await db.select({ clientId: bookings.clientId, coopId: bookings.coopId }).from(bookings).where(eq(bookings.id, id));
  return row;
}

export async function isAssigned(db: Tx, bookingId: string, userId: string): Promise<boolean> {
  const [row] = await db.select({ userId: bookingWorkers.userId }).from(bookingWorkers)
    .where(and(eq(bookingWorkers.bookingId, bookingId), eq(bookingWorkers.userId, userId)));
  return row !== undefined;
}

export async function findBooking(db: Tx, id: string) {
  const [row] = await bookingQuery(db).where(eq(bookings.id, id));
  return row;
}

export interface ListFilter {
  clientId?: string;
  coopId?: string;
  workerId?: string;
  scope: 'upcoming' | 'past' | 'all';
  state?: BookingState;
  /** The visits of series: all, none (lists that show each series as one line), or those with money on them. */
  seriesVisits?: 'include' | 'exclude' | 'with_money';
  limit?: number;
  offset?: number;
  now: Date;
}

export async function listBookings(db: Tx, f: ListFilter) {
  const conds = [
    f.clientId ? eq(bookings.clientId, f.clientId) : undefined,
    f.coopId ? eq(bookings.coopId, f.coopId) : undefined,
    f.workerId
      ? sql`EXISTS (SELECT 1 FROM booking_workers w WHERE w.booking_id = ${bookings.id} AND w.user_id = ${f.workerId})`
      : undefined,
    f.scope === 'upcoming' ? gte(bookings.endsAt, f.now) : f.scope === 'past' ? lt(bookings.endsAt, f.now) : undefined,
    f.state ? eq(bookings.state, f.state) : undefined,
    f.seriesVisits === 'exclude' ? isNull(bookings.seriesId) : undefined,
    // Paid, refunded or returned, once over or closed: a visit people come back to for its receipt
    // (the series' line has the live coming ones). The column is named in full: inside the
    // subquery a bare "id" would be the payment's.
    f.seriesVisits === 'with_money'
      ? sql`(${bookings.seriesId} IS NULL OR ((${bookings.endsAt} < ${f.now.toISOString()}::timestamptz OR ${bookings.state} NOT IN ('requested', 'accepted', 'paid'))
          AND EXISTS (SELECT 1 FROM payments p WHERE p.booking_id = bookings.id AND p.status IN ('paid', 'partially_refunded', 'refunded', 'to_return', 'returned'))))`
      : undefined,
  ].filter((c) => c !== undefined);
  return bookingQuery(db)
    .where(and(...conds))
    .orderBy(f.scope === 'past' ? desc(bookings.startsAt) : asc(bookings.startsAt), asc(bookings.id))
    .limit(f.limit ?? 200)
    .offset(f.offset ?? 0);
}

/** Unanswered requests and unpaid acceptances whose time has run out, locked for the expiry job. */
export async function lockExpired(db: Tx, now: Date, limit: number) {
  return db
    .select()
    .from(bookings)
    .where(and(inArray(bookings.state, ['requested', 'accepted']), lte(bookings.expiresAt, now)))
    .orderBy(asc(bookings.expiresAt))
    .limit(limit)
    .for('update', { skipLocked: true });
}
