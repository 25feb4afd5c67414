import type { Booking, ConfirmMinutesBody, Visit, VisitList, VisitsQuery } from '@tissu/shared';
import { ENTRY_NOTES_VISIBLE_DAYS, REPORTABLE_STATES, VISIT_DETAILS_DAYS, fieldError, maxReportedMinutes, maxWorkedMinutes } from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import { requireActor, type Actor } from '../../actor.js';
import { badRequest, conflict, forbidden, notFound } from '../../errors.js';
import * as repo from './repository.js';
import * as minutesRepo from './minutes-repository.js';
import { viewerOf } from './relation.js';
import { toBookings } from './view.js';
import { addonsOfBookings } from './addons.js';

const DAY = 86_400_000;

/**
 * "Mes visites" and the minutes a worker delivered. She reports them once the visit has started
 * and may correct her report until the co-op confirms; only the confirmed minutes
 * (booking_workers.minutes_delivered) count for patronage, as the admin's completion always did.
 */
export function createMinutesService(deps: { db: Db; now?: () => Date }) {
  const { db } = deps;
  const now = () => deps.now?.() ?? new Date();

  const mayReport = (state: string, startsAt: Date, confirmed: number | null, at: Date) =>
    (REPORTABLE_STATES as readonly string[]).includes(state) && startsAt.getTime() <= at.getTime() && confirmed === null;

  async function toVisits(tx: Tx, rows: minutesRepo.VisitRowJoined[], at: Date): Promise<Visit[]> {
    const ids = rows.map((r) => r.booking.id);
    const [team, addons] = await Promise.all([repo.workersOf(tx, ids), addonsOfBookings(tx, ids)]);
    return rows.map((r) => {
      const b = r.booking;
      // Law 25 (Québec): a worker needs the client's address, notes and phone to go and do the work,
      // and for a few days after (a forgotten key, a question); past that, her list keeps the work
      // itself (service, time, team, minutes) and leaves the client's personal details out.
      const hidden = b.endsAt.getTime() + VISIT_DETAILS_DAYS * DAY < at.getTime();
      return {
        bookingId: b.id,
        state: b.state,
        startsAt: b.startsAt.toISOString(),
        endsAt: b.endsAt.toISOString(),
        timeZone: b.timeZone,
        durationMinutes: b.durationMinutes,
        listing: { id: b.listingId, titleFr: r.listingTitleFr, titleEn: r.listingTitleEn },
        coop: { id: b.coopId, slug: r.coopSlug, name: r.coopName },
        address: hidden ? null : b.address,
        notes: hidden ? null : b.notes,
        entryNotes: b.endsAt.getTime() + ENTRY_NOTES_VISIBLE_DAYS * DAY < at.getTime() ? null : b.entryNotes,
        client: { firstName: b.contactName.trim().split(/\s+/)[0] ?? '', phone: hidden ? null : b.contactPhone },
        detailsHidden: hidden,
        seriesId: b.seriesId,
        team: team.filter((w) => w.bookingId === b.id).map((w) => ({ userId: w.userId, name: w.name })),
        // What the job is: the client's answers and the add-ons' names and minutes (their prices are not hers).
        answers: b.answers,
        addons: addons.filter((x) => x.bookingId === b.id).map((x) => ({ nameFr: x.nameFr, nameEn: x.nameEn, extraMinutes: x.extraMinutes })),
        minutes: {
          reported: r.minutesReported,
          reportedAt: r.reportedAt?.toISOString() ?? null,
          confirmed: r.minutesDelivered,
          mayReport: mayReport(b.state, b.startsAt, r.minutesDelivered, at),
          maximum: maxReportedMinutes(b.durationMinutes),
        },
      };
    });
  }

  async function bookingView(tx: Tx, actor: Actor, id: string): Promise<Booking> {
    const row = await repo.findBooking(tx, id);
    if (!row) throw notFound('Booking');
    const viewer = await viewerOf(tx, actor, row.booking);
    const [dto] = await toBookings(tx, [row], () => viewer, now());
    return dto!;
  }

  return {
    async myVisits(actor: Actor | null, q: VisitsQuery): Promise<VisitList> {
      const a = requireActor(actor);
      const at = now();
      const rows = await minutesRepo.visitsOf(db, { userId: a.userId, when: q.when, now: at, limit: q.limit + 1, offset: q.offset });
      const page = rows.slice(0, q.limit);
      return { items: await toVisits(db, page, at), nextOffset: rows.length > q.limit ? q.offset + q.limit : null };
    },

    /** An assigned worker's own report: once started, on a visit that took place, until the co-op confirms. */
    async report(actor: Actor | null, id: string, minutes: number): Promise<Visit> {
      const a = requireActor(actor);
      const at = now();
      return db.transaction(async (tx) => {
        const b = await repo.lockBooking(tx, id);
        if (!b) throw notFound('Booking');
        const v = await viewerOf(tx, a, b);
        const line = v.coopRole ? await minutesRepo.lockWorkerLine(tx, b.id, a.userId) : undefined;
        if (!line) {
          if (v.isClient || v.isSteward || v.coopRole === 'admin') throw forbidden('Only the workers assigned to this visit report their minutes');
          throw notFound('Booking');
        }
        if (b.startsAt.getTime() > at.getTime()) throw conflict('This visit has not started yet: report your minutes once it has', 'visit_not_started');
        if (!(REPORTABLE_STATES as readonly string[]).includes(b.state)) throw conflict('This visit did not take place', 'invalid_transition');
        if (line.minutesDelivered !== null) throw conflict('The co-op has already confirmed your minutes for this visit', 'minutes_already_confirmed');
        const max = maxReportedMinutes(b.durationMinutes);
        if (minutes > max) throw badRequest(`At most ${max} minutes for this visit`, { minutes: [fieldError('too_large', { maximum: max })] });
        await minutesRepo.saveReport(tx, b.id, a.userId, minutes, at);
        const [row] = await minutesRepo.visitsOf(tx, { userId: a.userId, when: 'past', now: at, limit: 1, offset: 0, bookingId: b.id });
        return (await toVisits(tx, [row!], at))[0]!;
      });
    },

    /**
     * The co-op admin confirms a worker's minutes on a completed booking (a report made after the
     * completion), or corrects minutes already confirmed: a correction says why, and either is kept
     * in the booking's history. More than the booking lasted needs a reason, as at completion.
     */
    async confirm(actor: Actor | null, id: string, body: ConfirmMinutesBody): Promise<Booking> {
      const a = requireActor(actor);
      const reason = body.reason?.trim() || null;
      return db.transaction(async (tx) => {
        const b = await repo.lockBooking(tx, id);
        if (!b) throw notFound('Booking');
        const v = await viewerOf(tx, a, b);
        if (v.coopRole !== 'admin') throw v.isClient || v.isSteward || v.coopRole ? forbidden("Only the co-op's admins confirm minutes") : notFound('Booking');
        if (b.state !== 'completed') throw conflict('Minutes are confirmed when the booking is marked done, and after', 'invalid_transition');
        const line = await minutesRepo.lockWorkerLine(tx, b.id, body.userId);
        if (!line) throw badRequest('Minutes can only be recorded for assigned workers', { userId: [fieldError('assign_first')] });
        const max = maxReportedMinutes(b.durationMinutes);
        if (body.minutes > max) throw badRequest(`At most ${max} minutes for this booking`, { minutes: [fieldError('too_large', { maximum: max })] });
        const length = maxWorkedMinutes(b.startsAt, b.endsAt);
        if (body.minutes > length && !reason) {
          throw badRequest(`More than the booking's ${length} minutes: say why`, { reason: [fieldError('reason_for_extra_minutes', { maximum: length })] });
        }
        const before = line.minutesDelivered;
        if (before !== null && before !== body.minutes && !reason) {
          throw badRequest('Say why you change minutes already confirmed', { reason: [fieldError('reason_for_correction')] });
        }
        await minutesRepo.confirmMinutes(tx, b.id, body.userId, body.minutes);
        const [name] = (await repo.workersOf(tx, [b.id])).filter((w) => w.userId === body.userId).map((w) => w.name);
        // Names and numbers read the same in French and English; the admin's why follows as typed.
        const what = `${name} · ${before ?? '–'} → ${body.minutes} min`;
        // Stamped when it takes effect (after the booking's lock), not at the transaction's start: two
        // confirmations at once are read in the order they happened, each from where the other left off.
        await repo.insertEvent(tx, {
          bookingId: b.id, actorId: a.userId, actorRole: 'coop_admin', kind: 'minutes_confirmed', fromState: b.state, toState: b.state,
          reason: reason ? `${what} · ${reason}` : what,
        }, { stampNow: true });
        return bookingView(tx, a, id);
      });
    },
  };
}
