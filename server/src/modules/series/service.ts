import type { CreateSeriesBody, Series, SeriesPreview, SeriesFrequency, SeriesRoom } from '@tissu/shared';
import { SERIES_PER_CLIENT, SERIES_PER_LISTING, answerFieldErrors, checkAnswers, fieldError } from '@tissu/shared';
import { nearEnough } from './near.js';
import type { Db, Tx } from '@tissu/db';
import { requireActor, requireVerifiedEmail, type Actor } from '../../actor.js';
import { HttpError, badRequest, conflict, forbidden, notFound } from '../../errors.js';
import { availabilityOf, busyAround, chosenAddons, placeVisit, visitLength } from '../bookings/index.js';
import { questionsOfListing } from '../listings/index.js';
import { roleIn } from '../coops/index.js';
import { firstVisits, judgeVisits, ruleFor, visitCount, visitPrice } from './plan.js';
import * as repo from './repository.js';
import { recordSeries } from './history.js';
import { tellSeries } from './tell.js';
import { toSeries, toSeriesList } from './view.js';
import { addressForBooking } from '../addresses/index.js';
import { termsOf, visitDeadline } from './terms.js';
import { createSeriesChanges, type SeriesChangeDeps } from './changes.js';

const HOUR = 3_600_000;

/** A series as asked: the route's parsed body, or a caller's own (the seed) that asks no questions and takes no add-ons. */
type SeriesAsked = Omit<CreateSeriesBody, 'answers' | 'addonIds'> & Partial<Pick<CreateSeriesBody, 'answers' | 'addonIds'>>;

export interface SeriesDeps {
  db: Db;
  now?: () => Date;
  wake?: () => void;
  closeCheckout?: SeriesChangeDeps['closeCheckout'];
}

/** The first visit cannot be made: a time the listing never offered (15:17) is said so; one just taken is a conflict. */
const firstNotFree = (fit: 'closed' | 'taken') => fit === 'closed'
  ? badRequest('Some fields are not valid', { startsAt: [fieldError('not_a_listed_time')] })
  : conflict('This time is not available. Please choose one of the free slots.', 'slot_unavailable');

export function createSeriesService(deps: SeriesDeps) {
  const { db } = deps;
  const now = () => deps.now?.() ?? new Date();

  /** The listing a series is asked on, bookable and offering that frequency. */
  async function offer(tx: Tx, listingId: string, frequency: SeriesFrequency, at: Date) {
    const row = await repo.listingOfSeries(tx, listingId, at);
    if (!row || row.listing.status === 'archived' || row.coopStatus !== 'approved') throw notFound('Listing');
    if (row.listing.status !== 'active') throw conflict('This listing is paused and cannot be booked right now', 'listing_paused');
    // A listing on quote only has no price to repeat: regular work is agreed through a quote.
    if (row.listing.quoteMode === 'only') throw conflict('This listing is booked on quote: ask for a quote', 'listing_on_quote');
    const av = availabilityOf(row.schedule);
    if (av.seriesFrequencies.length === 0) throw conflict('This listing does not take regular visits', 'series_not_offered');
    if (!av.seriesFrequencies.includes(frequency)) throw badRequest('Some fields are not valid', { frequency: [fieldError('frequency_not_offered')] });
    return { ...row, av };
  }

  async function view(tx: Tx, actor: Actor, id: string): Promise<Series> {
    const row = await repo.findSeries(tx, id);
    if (!row) throw notFound('Series');
    const [dto] = await toSeries(tx, [row], actor, now());
    if (!dto!.viewer.isClient && !dto!.viewer.isCoopAdmin && !dto!.viewer.isSteward && !dto!.viewer.isWorker) throw notFound('Series');
    return dto!;
  }

  const changes = createSeriesChanges({ db, now, wake: deps.wake, view, closeCheckout: deps.closeCheckout });

  return {
    /** Whether the client may book more regular visits here: the same count create() checks, said before she fills the form. */
    async room(actor: Actor | null, listingId: string): Promise<SeriesRoom> {
      const a = requireActor(actor);
      const running = await repo.runningSeriesOf(db, a.userId, listingId);
      return { ...running, perListing: SERIES_PER_LISTING, perClient: SERIES_PER_CLIENT, full: running.here >= SERIES_PER_LISTING || running.total >= SERIES_PER_CLIENT };
    },

    /** What the client sees before confirming: the first visits, which are not free, and what is free nearby. */
    async preview(listingId: string, q: { startsAt: string; frequency: SeriesFrequency; until?: string; count?: number; addons?: string[] }): Promise<SeriesPreview> {
      const at = now();
      const o = await offer(db, listingId, q.frequency, at);
      const zone = o.av.timeZone;
      const rule = ruleFor(q, zone);
      // Add-ons lengthen every visit: each must fit whole, as create() will place it.
      const addons = await chosenAddons(db, listingId, q.addons ?? []);
      const minutes = visitLength(o.listing.durationMinutes, addons);
      const { visits } = firstVisits(rule, zone, at);
      const busy = await busyAround(db, listingId, visits[0]!.startsAt, visits.at(-1)!.startsAt);
      const judged = judgeVisits(o.av, busy, visits, minutes, at);
      if (judged[0]!.status !== 'free') throw firstNotFree(judged[0]!.status);
      return {
        listingId, timeZone: zone, frequency: rule.frequency, time: rule.time, durationMinutes: minutes,
        ...visitPrice(o.listing, o.av.seriesDiscountBps, addons), discountBps: o.av.seriesDiscountBps,
        addons,
        lastDate: rule.until, visitCount: visitCount(rule, zone),
        visits: judged.map((v) => ({ date: v.date, startsAt: v.startsAt.toISOString(), status: v.status, alternatives: v.alternatives.map((d) => d.toISOString()) })),
      };
    },

    /**
     * Books a series: the series, its rule and its first visits in one transaction. Each visit is
     * placed under the listing's lock like a single booking; a date that is not free needs the
     * client's choice (skip it, or another free time), or nothing is written.
     */
    /** `also` runs in the same transaction once the series exists (booking from a conversation binds it). */
    async create(actor: Actor | null, body: SeriesAsked, also?: (tx: Tx, made: { id: string; clientId: string; coopId: string; listingId: string }) => Promise<void>): Promise<Series> {
      const a = requireVerifiedEmail(actor);
      const at = now();
      const result = await db.transaction(async (tx) => {
        const o = await offer(tx, body.listingId, body.frequency, at);
        const zone = o.av.timeZone;
        // A saved address (or a new one she saves) is copied now: changing it later changes no visit.
        const where = await addressForBooking(tx, a.userId, body, at);
        if (o.listing.locationMode === 'client_place' && !where.address) {
          throw badRequest('Some fields are not valid', { address: [fieldError('address_required')] });
        }
        // Asked once for every visit: the listing's questions as they are now, the answers kept as a snapshot;
        // the add-ons chosen lengthen every visit and add their prices (each visit copies both).
        const asked = checkAnswers(await questionsOfListing(tx, o.listing.id), body.answers ?? []);
        if (!asked.ok) throw badRequest('Some answers are not valid', answerFieldErrors(asked.errors));
        const addons = await chosenAddons(tx, o.listing.id, body.addonIds ?? []);
        const durationMinutes = visitLength(o.listing.durationMinutes, addons);
        const rule = ruleFor(body, zone);
        const { visits, through } = firstVisits(rule, zone, at);
        const instant = o.av.instantBooking;
        if (instant && !o.chargesEnabled) throw conflict('This co-op cannot take payments yet, so it cannot be booked instantly', 'coop_not_ready');
        // Series take time from everyone else's calendar: a client runs a few at once, no more.
        await repo.lockClient(tx, a.userId);
        const running = await repo.runningSeriesOf(tx, a.userId, o.listing.id);
        if (running.here >= SERIES_PER_LISTING || running.total >= SERIES_PER_CLIENT) {
          throw conflict(`You already have ${running.here} regular visits of this service and ${running.total} in all running`, 'series_limit');
        }
        // The same series sent twice (a double tap without an idempotency key): once is enough.
        if (await repo.hasVisitAt(tx, a.userId, o.listing.id, visits[0]!.startsAt)) {
          throw conflict('You already have regular visits of this service at this time', 'series_exists');
        }
        checkChoices(body.choices, visits, zone);
        const state = instant ? 'active' : 'requested';
        const series = await repo.insertSeries(tx, {
          listingId: o.listing.id, coopId: o.listing.coopId, clientId: a.userId, state, timeZone: zone, durationMinutes,
          ...visitPrice(o.listing, o.av.seriesDiscountBps, addons), discountBps: o.av.seriesDiscountBps, feeRateBps: o.feeRateBps,
          freeCancellationHours: o.av.freeCancellationHours, lateCancellationPercent: o.av.lateCancellationPercent,
          address: where.address, entryNotes: where.entryNotes, notes: body.notes, contactName: body.contactName, contactPhone: body.contactPhone, contactEmail: body.contactEmail,
          generatedThrough: through, endsOn: rule.until, answers: asked.answers, addons,
        });
        await repo.insertRule(tx, { seriesId: series.id, ...rule });
        await also?.(tx, { id: series.id, clientId: series.clientId, coopId: series.coopId, listingId: series.listingId });
        const terms = termsOf(series);
        const requestLapses = new Date(Math.min(at.getTime() + o.av.requestTtlHours * HOUR, visits[0]!.startsAt.getTime()));
        const choices = new Map(body.choices.map((c, i) => [c.date, { ...c, i }]));
        const unanswered: Record<string, ReturnType<typeof fieldError>[]> = {};
        for (const [i, v] of visits.entries()) {
          const choice = choices.get(v.date);
          const opts = {
            state: instant ? ('accepted' as const) : ('requested' as const), now: at, first: i === 0, team: [],
            actor: { id: a.userId, role: 'client' as const },
          };
          if (choice?.action === 'skip' && i > 0) {
            await repo.insertGap(tx, { seriesId: series.id, date: v.date, reason: 'client', resolution: 'skipped', resolvedAt: at });
            continue;
          }
          const startsAt = choice?.action === 'move' && i > 0 ? new Date(choice.startsAt!) : v.startsAt;
          const placed = await placeVisit(tx, terms, o.av, { date: v.date, startsAt }, { ...opts, expiresAt: instant ? visitDeadline(startsAt, now()) : requestLapses });
          if (typeof placed !== 'string') {
            if (choice?.action === 'move') await repo.insertGap(tx, { seriesId: series.id, date: v.date, reason: 'client', resolution: 'moved', resolvedAt: at });
            continue;
          }
          if (i === 0) throw firstNotFree(placed);
          if (choice) throw badRequest('Some fields are not valid', { [`choices.${choice.i}.startsAt`]: [fieldError('visit_not_free', { date: v.date })] });
          unanswered[`visits.${v.date}`] = [fieldError('visit_not_free', { date: v.date })];
        }
        if (Object.keys(unanswered).length) {
          throw new HttpError(409, 'series_needs_choices', 'Some visits are not free: skip them or choose another time', unanswered);
        }
        await recordSeries(tx, series.id, { id: a.userId, role: 'client' }, instant ? 'booked' : 'requested', { from: rule.startsOn, detail: { time: rule.time, frequency: rule.frequency } });
        await tellSeries(tx, series, instant ? 'booked' : 'requested', o.adminIds, `${series.id}:created`);
        await tellSeries(tx, series, instant ? 'accepted' : 'received', [a.userId], `${series.id}:created`);
        return view(tx, a, series.id);
      });
      deps.wake?.();
      return result;
    },

    async get(actor: Actor | null, id: string): Promise<Series> {
      return view(db, requireActor(actor), id);
    },

    async list(actor: Actor | null, q: { as: 'client' | 'coop'; coopId?: string }) {
      const a = requireActor(actor);
      if (q.as === 'coop') {
        if (!q.coopId) throw badRequest('Some fields are not valid', { coopId: [fieldError('required')] });
        const role = await roleIn(db, q.coopId, a.userId);
        if (role !== 'admin' && !a.isSteward) throw forbidden("Only this co-op's admins can see its regular visits");
      }
      const rows = await repo.listSeries(db, q.as === 'coop' ? { coopId: q.coopId } : { clientId: a.userId });
      return { items: await toSeriesList(db, rows, now()) };
    },

    ...changes,
  };
}

export type SeriesService = ReturnType<typeof createSeriesService>;

/**
 * The client's choices name visits of the preview other than the first (which is the slot they
 * picked), and a move stays near its date (the free times the preview offers): a visit cannot be
 * carried years away or outside the series.
 */
function checkChoices(choices: CreateSeriesBody['choices'], visits: { date: string; startsAt: Date }[], timeZone: string) {
  const byDate = new Map(visits.slice(1).map((v) => [v.date, v]));
  const fields: Record<string, ReturnType<typeof fieldError>[]> = {};
  choices.forEach((c, i) => {
    const v = byDate.get(c.date);
    if (!v) fields[`choices.${i}.date`] = [fieldError('not_a_visit_date')];
    else if (c.action === 'move' && !nearEnough(new Date(c.startsAt!), v.startsAt, timeZone)) fields[`choices.${i}.startsAt`] = [fieldError('move_too_far')];
  });
  if (Object.keys(fields).length) throw badRequest('Some fields are not valid', fields);
}

