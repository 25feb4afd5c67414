import type { BookingState, Series, SeriesChangePreview, SeriesFrequency } from '@tissu/shared';
import { FREQUENCY_DAYS, SERIES_PREVIEW_VISITS, addCalendarDays, fieldError, nextOccurrences, startsOnAllowed } from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import { DateTime } from 'luxon';
import { requireActor, type Actor } from '../../actor.js';
import { badRequest, conflict, forbidden, notFound } from '../../errors.js';
import { applyTransition, availabilityOf, pastNotice, placeVisit, replaceWorkers, visitFit, workersOf, type BookingRow } from '../bookings/index.js';
import { roleIn } from '../coops/index.js';
import { automaticPick, freeTeams } from '../team/index.js';
import { pauseAhead, todayIn } from './plan.js';
import * as repo from './repository.js';
import { recordSeries, type SeriesActor } from './history.js';
import { tellSeries } from './tell.js';
import { termsOf, visitDeadline } from './terms.js';
import { extendSeries } from './horizon.js';
import { nearEnough, openOn } from './near.js';
import { ruleOn } from './view.js';
import { changeOutcome } from './change-preview.js';

/** How many of a series' first visits the worker it is given automatically must be free for. */
const FIRST_VISITS_FREE = 4;

type View = (tx: Tx, actor: Actor, id: string) => Promise<Series>;
/** The states of a visit a change to its series ends. */
const LIVE_VISIT: BookingState[] = ['requested', 'accepted', 'paid'];
/** How far ahead a change of time or frequency may start: a year. */
const CHANGE_WITHIN_DAYS = 366;
type Side = 'client' | 'coop';
type ChangeBody = { from: string; time?: string; frequency?: SeriesFrequency };
/** Thrown to roll a preview's transaction back. */
class RolledBack extends Error {}

/** What a change to a series leaves to do after its commit: paid visits to cancel with the refund policy. */
export interface SeriesChange {
  series: Series;
  paidVisitsToCancel: string[];
  side: Side;
}

export interface SeriesChangeDeps {
  db: Db;
  now: () => Date;
  wake?: () => void;
  view: View;
  /** Closes a visit's open Checkout before it is cancelled (false: its payment is going through). */
  closeCheckout?: (tx: Tx, bookingId: string) => Promise<boolean>;
}

export function createSeriesChanges(deps: SeriesChangeDeps) {
  const { db, now, view } = deps;

  /** Locks the series and says who the person is to it; outsiders learn nothing of it. */
  async function locked(tx: Tx, actor: Actor, id: string) {
    const s = await repo.lockSeries(tx, id);
    if (!s) throw notFound('Series');
    const role = await roleIn(tx, s.coopId, actor.userId);
    const isClient = s.clientId === actor.userId;
    if (!isClient && role !== 'admin' && !actor.isSteward) {
      // A worker on the series' team sees it but does not change it; anyone else learns nothing of it.
      const onTeam = role !== undefined && (await repo.teamOf(tx, [id])).some((w) => w.userId === actor.userId);
      throw onTeam ? forbidden("Only the co-op's admins answer for it") : notFound('Series');
    }
    return { s, isClient, isAdmin: role === 'admin' };
  }

  /**
   * A visit that has begun (this morning's, with a change "from today") happened: no change to the
   * series cancels or refunds it, and its team still completes it.
   */
  const notBegun = (v: { startsAt: Date }) => v.startsAt.getTime() > now().getTime();

  function requireAdmin(p: { isAdmin: boolean }) {
    if (!p.isAdmin) throw forbidden("Only the co-op's admins can do this");
  }

  /** Changing how a series runs is for its two parties: the client and the co-op's admins. */
  function requireParty(p: { isClient: boolean; isAdmin: boolean }) {
    if (!p.isClient && !p.isAdmin) throw forbidden('Only the client and the co-op change regular visits');
  }

  /** Active, or paused from a later date (its visits run until then): what change, pause and assign need. */
  const running = (s: repo.SeriesRow): repo.SeriesRow['state'][] => (pauseAhead(s, now()) ? ['paused'] : ['active']);
  /** The last date already made into visits, brought back to the day before `date` so the dates from it are made again. */
  const through = (s: repo.SeriesRow, date: string) => (s.generatedThrough < addCalendarDays(date, -1) ? s.generatedThrough : addCalendarDays(date, -1));

  function requireState(s: repo.SeriesRow, states: repo.SeriesRow['state'][]) {
    if (!states.includes(s.state)) throw conflict(`A series that is ${s.state} cannot be changed this way`, 'invalid_transition');
  }

  /** A date from which a change applies: today or later, in the listing's zone. */
  function fromDate(s: repo.SeriesRow, from: string, field = 'from') {
    if (from < todayIn(s.timeZone, now())) throw badRequest('Some fields are not valid', { [field]: [fieldError('day_passed')] });
  }

  /**
   * Ends the visits from a date on, in the caller's transaction and quietly (the series' message
   * says it once): unpaid ones move to the state their side may give them; paid ones are returned
   * to be cancelled after the commit with the listing's refund policy.
   *
   * A change of time or frequency (`change`) replaces the rule's dates from `from` on, so it takes
   * the visits of those dates only: a visit the client moved from an earlier date to a later one
   * stays where she placed it (an end or a pause takes it: nothing may happen after them). And a
   * visit already paid keeps its time: its date is not made again (it has a live visit), rather
   * than being cancelled with a late fee and lost.
   * The dates still waiting for the client's choice in that span go with the rule they came from.
   */
  async function endVisitsFrom(tx: Tx, actor: Actor, s: repo.SeriesRow, from: string, side: Side, reason: string, change?: { dryRun: boolean }): Promise<string[]> {
    const visits = change ? await repo.lockVisitsOfDatesFrom(tx, s.id, from) : await repo.lockVisitsFrom(tx, s.id, from);
    const keepPaid = Boolean(change);
    await repo.dropOpenGapsFrom(tx, s.id, from);
    const paid: string[] = [];
    const forgotten: string[] = [];
    for (const v of visits) {
      if (!notBegun(v)) continue;
      // A visit moved from a date before `from` to one on or after it (an end, a pause): it takes
      // the visit but not its rule's date, which nothing held once the visit was cancelled, so a
      // later change from before it made a visit there again. Its date stays left out, as a visit cancelled on
      // its own does ('cancelled': its visit was cancelled, never to be made again; a reason of its
      // own would say nothing more to anyone, since the visit's history tells the move).
      const ends = LIVE_VISIT.includes(v.state) && (v.state !== 'paid' || !keepPaid);
      if (ends && v.seriesDate && v.seriesDate < from) await repo.skipDate(tx, s.id, v.seriesDate, now());
      // One moved within the change's span: the rule in force from `from` makes its date again
      // (the move was settled for the old rule; kept, it would hide the date for good).
      else if (ends && v.seriesDate) forgotten.push(v.seriesDate);
      if (v.state === 'paid') {
        if (!keepPaid) paid.push(v.id);
        continue;
      }
      // A preview rolls back: it leaves the open Checkout at Stripe alone.
      if (v.state === 'accepted' && deps.closeCheckout && !change?.dryRun && !(await deps.closeCheckout(tx, v.id))) {
        throw conflict('The payment for one of these visits has just gone through. Try again in a moment.', 'payment_in_progress');
      }
      const to: BookingState | null = v.state === 'requested' ? (side === 'client' ? 'cancelled_by_client' : 'declined')
        : v.state === 'accepted' ? (side === 'client' ? 'cancelled_by_client' : 'cancelled_by_coop') : null;
      if (to) await applyTransition(tx, now(), actor, v, to, reason, {}, false);
    }
    // The calendar's SEQUENCE counts the series' gap rows (notifications/series-calendar): the rows
    // taken away are made up for in the sequence the caller writes next, so it never goes down.
    s.sequence += await repo.forgetMoves(tx, s.id, forgotten);
    return paid;
  }

  async function commit(actor: Actor, id: string, work: (tx: Tx) => Promise<string[]>): Promise<Omit<SeriesChange, 'side'>> {
    const result = await db.transaction(async (tx) => {
      const paidVisitsToCancel = await work(tx);
      return { series: await view(tx, actor, id), paidVisitsToCancel };
    });
    deps.wake?.();
    return result;
  }

  /**
   * A change from a date by one side of the series: locked, its state checked, the date today or
   * later; `work` answers the paid visits to cancel after the commit.
   */
  async function fromADate(
    actor: Actor | null, id: string, from: string, states: (p: Locked) => repo.SeriesRow['state'][], partiesOnly: boolean,
    work: (tx: Tx, p: Locked, side: Side, a: Actor) => Promise<string[]>,
  ): Promise<SeriesChange> {
    const a = requireActor(actor);
    let side: Side = 'client';
    const result = await commit(a, id, async (tx) => {
      const p = await locked(tx, a, id);
      if (partiesOnly) requireParty(p);
      side = sideOf(p);
      requireState(p.s, states(p));
      fromDate(p.s, from);
      return work(tx, p, side, a);
    });
    return { ...result, side };
  }

  /** Who hears of a change to when the visits happen: the client, the co-op's admins, and the team that goes. */
  async function bothSidesAndTeam(tx: Tx, s: repo.SeriesRow): Promise<string[]> {
    const [admins, team] = await Promise.all([repo.coopAdminIds(tx, s.coopId), repo.teamOf(tx, [s.id])]);
    return [s.clientId, ...admins, ...team.map((w) => w.userId)];
  }

  type Locked = Awaited<ReturnType<typeof locked>>;
  /** Rules a change took away, kept in its history line so the calendar can cancel their events. */
  const gone = (rules: repo.RuleRow[]) => (rules.length ? { replaced: rules.map((r) => ({ startsOn: r.startsOn, time: r.time })) } : {});
  /** Who made a change, for the series' history. */
  const by = (a: Actor, p: { isClient: boolean; isAdmin: boolean }): SeriesActor => ({ id: a.userId, role: p.isClient ? 'client' : p.isAdmin ? 'coop_admin' : 'steward' });
  const sideOf = (p: { isClient: boolean }): Side => (p.isClient ? 'client' : 'coop');
  const reasonFor = (side: Side, reason: string | undefined) => {
    if (side === 'coop' && !reason) throw badRequest('Say why', { reason: [fieldError('required')] });
    return reason || null;
  };

  /**
   * From a date on: a new time, a new frequency, or both; the date becomes the first visit of the
   * new rule. The change and its preview (`dryRun`, rolled back after) run this same code.
   */
  async function changeRule(tx: Tx, p: Locked, side: Side, a: Actor, body: ChangeBody, dryRun: boolean): Promise<string[]> {
    const id = p.s.id;
    // A series made from an offer runs at the time and frequency agreed there: the client asks the co-op, whose admins may change them.
    if (p.s.quoteId && !p.isAdmin) throw conflict('This time was agreed in the offer: write to the co-op to change it', 'quote_booking_reschedule');
    if (p.s.pausedFrom && body.from >= p.s.pausedFrom) throw conflict(`The visits are paused from ${p.s.pausedFrom}: resume them first`, 'invalid_transition');
    const rules = await repo.rulesOf(tx, [id]);
    const old = ruleOn(rules, body.from);
    const frequency = body.frequency ?? old.frequency;
    const listing = await repo.listingOfSeries(tx, p.s.listingId, now());
    if (body.frequency && !availabilityOf(listing?.schedule ?? null).seriesFrequencies.includes(body.frequency)) {
      throw badRequest('Some fields are not valid', { frequency: [fieldError('frequency_not_offered')] });
    }
    if (!startsOnAllowed(frequency, body.from)) throw badRequest('Some fields are not valid', { from: [fieldError('weekday_start')] });
    if (p.s.endsOn && body.from > p.s.endsOn) throw badRequest('Some fields are not valid', { from: [fieldError('after_series_end', { date: p.s.endsOn })] });
    // Within a year: its preview makes every visit up to the date (in a transaction rolled back, the
    // listing's calendar locked meanwhile), and years of them held every booking of the listing back.
    const latest = addCalendarDays(todayIn(p.s.timeZone, now()), CHANGE_WITHIN_DAYS);
    if (body.from > latest) throw badRequest('Some fields are not valid', { from: [fieldError('change_too_far_ahead', { date: latest })] });
    // The new time must be one of the listing's times on the first new date, or every visit would be a gap.
    const av = availabilityOf(listing?.schedule ?? null);
    const [first] = nextOccurrences({ startsOn: body.from, frequency, time: body.time ?? old.time, until: null }, p.s.timeZone, new Date(DateTime.fromISO(`${body.from}T00:00`, { zone: p.s.timeZone }).toMillis() - 1), 1);
    if (!first || visitFit(av, [], first.startsAt, p.s.durationMinutes, now(), false) === 'closed') {
      // An open day at a time between the listing's times (09:15 where visits start on the hour) is not a closed day.
      const offTheGrid = body.time && first && openOn(av, first.date, p.s.timeZone, p.s.durationMinutes, now());
      throw badRequest('Some fields are not valid', { [body.time ? 'time' : 'from']: [fieldError(offTheGrid ? 'not_a_listed_time' : 'choose_slot')] });
    }
    const paid = await endVisitsFrom(tx, a, p.s, body.from, side, 'series changed', { dryRun });
    // The spans the rules ran from the change date on: a pause taken and resumed left a gap
    // between two of them, and the new time applies within the spans only, so those dates stay
    // free (a change from before the pause brought them back).
    const time = body.time ?? old.time;
    const spans = rules.map((r, i) => ({
      start: r.startsOn > body.from ? r.startsOn : body.from,
      end: r.until ?? (rules[i + 1] ? addCalendarDays(rules[i + 1]!.startsOn, -1) : p.s.endsOn),
    })).filter((x) => x.end === null || x.end >= x.start);
    const replaced = gone(await repo.endRulesBefore(tx, id, addCalendarDays(body.from, -1)));
    const anchor = { startsOn: body.from, frequency, time, until: null };
    let made = 0;
    for (const span of spans) {
      // Each span from the new rule's first date in it, so every two or four weeks keep their step.
      const dayBefore = DateTime.fromISO(`${span.start}T00:00`, { zone: p.s.timeZone }).toMillis() - 1;
      const [here] = nextOccurrences(anchor, p.s.timeZone, new Date(dayBefore), 1);
      if (!here || (span.end && here.date > span.end)) continue;
      await repo.insertRule(tx, { seriesId: id, startsOn: span.start === body.from ? body.from : here.date, frequency, time, until: span.end });
      made++;
    }
    if (made === 0) await repo.insertRule(tx, { seriesId: id, startsOn: body.from, frequency, time, until: p.s.endsOn });
    // Not past what was made: a change from beyond the horizon leaves the dates before it to the job.
    const s = await repo.updateSeries(tx, id, { generatedThrough: through(p.s, body.from), sequence: p.s.sequence + 1 });
    await recordSeries(tx, id, by(a, p), 'changed', { from: body.from, detail: { time: body.time ?? old.time, frequency, ...replaced } });
    await extendSeries(tx, s, now());
    await tellSeries(tx, s, 'changed', await bothSidesAndTeam(tx, s), `${id}:changed:${s.sequence}`, { date: body.from });
    return paid;
  }

  /**
   * A co-op that assigns automatically gives a series accepted with no team one worker-member, free
   * for its first visits (the round-robin's rule), as its team: the visits the job makes later
   * inherit her; any visit she is away or busy for is left to the admins.
   */
  async function teamOnAcceptance(tx: Tx, a: Actor, p: Awaited<ReturnType<typeof locked>>, s: repo.SeriesRow, asked: BookingRow[]) {
    if ((await repo.teamOf(tx, [s.id])).length > 0) return;
    const visits = [...asked].sort((x, y) => x.startsAt.getTime() - y.startsAt.getTime());
    const first = visits.slice(0, FIRST_VISITS_FREE);
    const picked = await automaticPick(tx, first.map((v) => ({ coopId: v.coopId, startsAt: v.startsAt, endsAt: v.endsAt, bookingId: v.id })), now());
    if (!picked) return;
    await repo.replaceTeam(tx, s.id, [picked]);
    const teams = await freeTeams(tx, s.coopId, visits.map((v) => ({ startsAt: v.startsAt, endsAt: v.endsAt, team: [picked], except: v.id })));
    for (const [i, v] of visits.entries()) if (teams[i]!.length) await replaceWorkers(tx, v.id, teams[i]!);
    await recordSeries(tx, s.id, by(a, p), 'team', { detail: { team: (await repo.teamOf(tx, [s.id])).map((t) => t.name) } });
    await tellSeries(tx, s, 'assigned', [picked], `${s.id}:team:auto`, { date: first[0]!.seriesDate! });
  }

  return {
    /** The co-op says yes once: every visit asked for is accepted and waits for its payment. */
    async accept(actor: Actor | null, id: string): Promise<Series> {
      const a = requireActor(actor);
      const result = await db.transaction(async (tx) => {
        const p = await locked(tx, a, id);
        requireAdmin(p);
        requireState(p.s, ['requested']);
        if (!(await repo.chargesEnabled(tx, p.s.coopId))) throw conflict('Set up payments before accepting bookings', 'coop_not_ready');
        const asked = (await repo.lockVisitsFrom(tx, id, '1900-01-01')).filter((v) => v.state === 'requested');
        // Every visit asked for lapsed unanswered (the job ends such a request within the hour):
        // accepting it would run a series with no visit and tell the client it is confirmed.
        if (asked.length === 0) throw conflict('This request lapsed before it was answered', 'request_lapsed');
        for (const v of asked) await applyTransition(tx, now(), a, v, 'accepted', null, { expiresAt: visitDeadline(v.startsAt, now()) }, false);
        const s = await repo.updateSeries(tx, id, { state: 'active', sequence: p.s.sequence + 1 });
        await recordSeries(tx, id, by(a, p), 'accepted');
        await tellSeries(tx, s, 'accepted', [s.clientId], `${id}:accepted`);
        await teamOnAcceptance(tx, a, p, s, asked);
        return view(tx, a, id);
      });
      deps.wake?.();
      return result;
    },

    async decline(actor: Actor | null, id: string, reason: string): Promise<Series> {
      const a = requireActor(actor);
      return (await commit(a, id, async (tx) => {
        const p = await locked(tx, a, id);
        requireAdmin(p);
        requireState(p.s, ['requested']);
        await endVisitsFrom(tx, a, p.s, '1900-01-01', 'coop', reason);
        const s = await repo.updateSeries(tx, id, { state: 'declined', endReason: reason, sequence: p.s.sequence + 1 });
        await recordSeries(tx, id, by(a, p), 'declined', { reason });
        await tellSeries(tx, s, 'declined', [s.clientId], `${id}:declined`, { reason });
        return [];
      })).series;
    },

    /** The team, assigned once: every coming visit that still has the series' team gets the new one. */
    async assign(actor: Actor | null, id: string, userIds: string[]): Promise<Series> {
      const a = requireActor(actor);
      return (await commit(a, id, async (tx) => {
        const p = await locked(tx, a, id);
        requireAdmin(p);
        requireState(p.s, ['requested', 'active', 'paused']);
        const team = [...new Set(userIds)];
        for (const u of team) if (!(await roleIn(tx, p.s.coopId, u))) throw badRequest('Only members of the co-op can be assigned', { userIds: [fieldError('not_coop_member')] });
        const before = (await repo.teamOf(tx, [id])).map((t) => t.userId).sort().join();
        await repo.replaceTeam(tx, id, team);
        const after = await repo.teamOf(tx, [id]);
        if (after.map((t) => t.userId).sort().join() !== before) await recordSeries(tx, id, by(a, p), 'team', { detail: { team: after.map((t) => t.name) } });
        // Visits not begun: the team that went to this morning's visit keeps it, to complete it.
        const coming = (await repo.lockVisitsFrom(tx, id, todayIn(p.s.timeZone, now())))
          .filter((v) => LIVE_VISIT.includes(v.state) && notBegun(v));
        const current = await workersOf(tx, coming.map((v) => v.id));
        const given: string[] = [];
        const keeping = coming.filter((v) => current.filter((w) => w.bookingId === v.id).map((w) => w.userId).sort().join() === before);
        // Each visit gets the team but whoever is away or on another visit then (never two visits at once): left for the admins.
        const teams = await freeTeams(tx, p.s.coopId, keeping.map((v) => ({ startsAt: v.startsAt, endsAt: v.endsAt, team, except: v.id })));
        for (const [i, v] of keeping.entries()) {
          await replaceWorkers(tx, v.id, teams[i]!);
          given.push(v.seriesDate!);
        }
        // Each member newly on the team is told once, from the first visit she now has.
        const added = team.filter((u) => !before.split(',').includes(u));
        if (added.length) {
          await tellSeries(tx, p.s, 'assigned', added, `${id}:team:${now().getTime()}`, { date: given.sort()[0] ?? todayIn(p.s.timeZone, now()) });
        }
        return [];
      })).series;
    },

    /** From a date on: a new time, a new frequency, or both; the date becomes the first visit of the new rule. */
    change(actor: Actor | null, id: string, body: ChangeBody): Promise<SeriesChange> {
      return fromADate(actor, id, body.from, (p) => running(p.s), true, (tx, p, side, a) => changeRule(tx, p, side, a, body, false));
    },

    /**
     * What a change from a date would do, written nowhere: the change itself, with its checks, in a
     * transaction rolled back once the visits before and after it are read (so what it shows is
     * what the change then does, the job's gaps included).
     */
    async changePreview(actor: Actor | null, id: string, body: ChangeBody): Promise<SeriesChangePreview> {
      const a = requireActor(actor);
      let preview: SeriesChangePreview | undefined;
      await db.transaction(async (tx) => {
        const p = await locked(tx, a, id);
        requireParty(p);
        requireState(p.s, running(p.s));
        fromDate(p.s, body.from);
        const before = await repo.visitsOf(tx, [id]);
        await changeRule(tx, p, sideOf(p), a, body, true);
        // A change from beyond the horizon makes its visits later (the job): here they are made now,
        // as the job would make them today, so the visits either side of the date are seen whenever it is.
        const step = Math.max(7, FREQUENCY_DAYS[ruleOn(await repo.rulesOf(tx, [id]), body.from).frequency]);
        await extendSeries(tx, (await repo.lockSeries(tx, id))!, now(), addCalendarDays(body.from, step * SERIES_PREVIEW_VISITS));
        const [after, gaps, rules] = await Promise.all([repo.visitsOf(tx, [id]), repo.gapsOf(tx, [id]), repo.rulesOf(tx, [id])]);
        preview = changeOutcome(p.s, body.from, rules, before, after, gaps, now());
        throw new RolledBack();
      }).catch((e: unknown) => {
        if (!(e instanceof RolledBack)) throw e;
      });
      return preview!;
    },

    pause(actor: Actor | null, id: string, body: { from: string; reason?: string }): Promise<SeriesChange> {
      return fromADate(actor, id, body.from, (p) => running(p.s), true, async (tx, p, side, a) => {
        beforeEnd(p.s, body.from);
        // Paused from that date already (a second tab, a double tap): nothing to record or send again.
        if (p.s.pausedFrom === body.from) return [];
        const paid = await endVisitsFrom(tx, a, p.s, body.from, side, body.reason || 'series paused');
        // A pause not begun yet moved later: the dates between the two come back.
        const generatedThrough = p.s.pausedFrom && p.s.pausedFrom < body.from ? through(p.s, p.s.pausedFrom) : p.s.generatedThrough;
        const s = await repo.updateSeries(tx, id, { state: 'paused', pausedFrom: body.from, generatedThrough, sequence: p.s.sequence + 1 });
        await recordSeries(tx, id, by(a, p), 'paused', { from: body.from, reason: body.reason });
        if (generatedThrough !== p.s.generatedThrough) await extendSeries(tx, s, now());
        await tellSeries(tx, s, 'paused', await bothSidesAndTeam(tx, s), `${id}:paused:${s.sequence}`, { reason: body.reason, date: body.from });
        return paid;
      });
    },

    /**
     * What a pause or an end from a date would take, written nowhere: that change's own checks
     * (who, state, date), then the live visits it would cancel (what endVisitsFrom ends: not begun
     * yet); the side says whose cancellation it would be, and so what each paid visit refunds.
     */
    async stopAffects(actor: Actor | null, id: string, from: string, stop: 'pause' | 'end'): Promise<{ side: Side; visits: BookingRow[] }> {
      const a = requireActor(actor);
      return db.transaction(async (tx) => {
        const p = await locked(tx, a, id);
        requireParty(p);
        requireState(p.s, stop === 'pause' ? running(p.s) : endable(p));
        fromDate(p.s, from);
        beforeEnd(p.s, from);
        // Paused from that date already: the pause would do nothing again.
        const visits = stop === 'pause' && p.s.pausedFrom === from ? [] : await repo.lockVisitsFrom(tx, id, from);
        return { side: sideOf(p), visits: visits.filter((v) => LIVE_VISIT.includes(v.state) && notBegun(v)) };
      });
    },

    /** Visits come back from the first date of the rule on or after `from`, at the same time and frequency. */
    async resume(actor: Actor | null, id: string, body: { from: string }): Promise<Series> {
      const a = requireActor(actor);
      return (await commit(a, id, async (tx) => {
        const p = await locked(tx, a, id);
        requireParty(p);
        requireState(p.s, ['paused']);
        fromDate(p.s, body.from);
        const pausedFrom = p.s.pausedFrom ?? body.from;
        // Resuming on or before the pause's first day calls it off: the rules stand and the dates from it are made again.
        let resumedOn = pausedFrom;
        let replaced = {};
        if (body.from > pausedFrom) {
          const rules = await repo.rulesOf(tx, [id]);
          // The rule in force on the resume date (a change made for a later date than the pause's
          // start is kept, not lost), and the changes planned after it, kept as they are.
          const old = ruleOn(rules, body.from);
          const later = rules.filter((r) => r.startsOn > body.from);
          const until = later[0] ? addCalendarDays(later[0].startsOn, -1) : p.s.endsOn;
          const dayBefore = DateTime.fromISO(`${body.from}T00:00`, { zone: p.s.timeZone }).toJSDate();
          const [first] = nextOccurrences({ ...old, until }, p.s.timeZone, new Date(dayBefore.getTime() - 1), 1);
          if (!first && !later[0]) throw badRequest('Some fields are not valid', { from: [fieldError('series_too_long', { date: p.s.endsOn ?? body.from })] });
          // The old rules end the day before the pause (not before the resume), so the visits before a
          // pause that has not begun yet are still made, and none in it.
          replaced = gone(await repo.endRulesBefore(tx, id, addCalendarDays(pausedFrom, -1)));
          if (first) await repo.insertRule(tx, { seriesId: id, startsOn: first.date, frequency: old.frequency, time: old.time, until });
          for (const r of later) await repo.insertRule(tx, { seriesId: id, startsOn: r.startsOn, frequency: r.frequency, time: r.time, until: r.until });
          resumedOn = first?.date ?? later[0]!.startsOn;
        }
        const s = await repo.updateSeries(tx, id, { state: 'active', pausedFrom: null, generatedThrough: through(p.s, pausedFrom), sequence: p.s.sequence + 1 });
        await recordSeries(tx, id, by(a, p), 'resumed', { from: resumedOn, detail: replaced });
        await extendSeries(tx, s, now());
        await tellSeries(tx, s, 'resumed', await bothSidesAndTeam(tx, s), `${id}:resumed:${s.sequence}`, { date: resumedOn });
        return [];
      })).series;
    },

    /** No visit from a date on; the co-op says why. A series still asked for is withdrawn by its client the same way. */
    end(actor: Actor | null, id: string, body: { from: string; reason?: string }): Promise<SeriesChange> {
      return fromADate(actor, id, body.from, endable, true, async (tx, p, side, a) => {
        const reason = reasonFor(side, body.reason);
        beforeEnd(p.s, body.from);
        const paid = await endVisitsFrom(tx, a, p.s, body.from, side, reason ?? 'series ended');
        const last = addCalendarDays(body.from, -1);
        // Rules that would only have begun after the end go (when one runs before it), so the page
        // never says "from 8 January to 19 December".
        const rules = await repo.rulesOf(tx, [id]);
        const replaced = gone(await repo.endRulesBefore(tx, id, last, rules.some((r) => r.startsOn <= last)));
        const endsOn = p.s.endsOn && p.s.endsOn < last ? p.s.endsOn : last;
        // A pause from after the new last day no longer matters: the series runs to its end. Visits
        // still to come before the end keep it running (the job ends it after its last date); a
        // request withdrawn never ran, and a pause that has begun left no visit to come.
        const pausedFrom = p.s.pausedFrom && p.s.pausedFrom <= endsOn ? p.s.pausedFrom : null;
        const state = p.s.state === 'paused' && !pausedFrom ? 'active' : p.s.state;
        // Ended now when no visit is left to come before the end (the job ends the others after their last date).
        const left = (await repo.lockVisitsFrom(tx, id, todayIn(p.s.timeZone, now())))
          .some((v) => LIVE_VISIT.includes(v.state) && notBegun(v) && !paid.includes(v.id));
        const over = endsOn < todayIn(p.s.timeZone, now()) || state === 'requested' || (state === 'paused' && !pauseAhead(p.s, now())) || !left;
        const s = await repo.updateSeries(tx, id, { endsOn, endReason: reason, state: over ? 'ended' : state, pausedFrom, sequence: p.s.sequence + 1 });
        await recordSeries(tx, id, by(a, p), 'ended', { from: body.from, reason, detail: replaced });
        // The end's date, for the visits its message lists (only those before it: the paid ones
        // after it may still be live when it is written), and the paid visits it leaves to refund.
        await tellSeries(tx, s, 'ended', await bothSidesAndTeam(tx, s), `${id}:ended:${s.sequence}`,
          { reason, date: body.from, refunds: paid.length ? { bookingIds: paid, inFull: side === 'coop' } : undefined });
        return paid;
      });
    },

    /** A date the rule gave that could not be a visit: the client skips it or takes another free time. */
    async resolveGap(actor: Actor | null, id: string, date: string, body: { action: 'skip' | 'move'; startsAt?: string }): Promise<Series> {
      const a = requireActor(actor);
      return (await commit(a, id, async (tx) => {
        const p = await locked(tx, a, id);
        if (!p.isClient) throw forbidden('The client chooses what happens to a visit that cannot take place');
        requireState(p.s, p.s.pausedFrom && date < p.s.pausedFrom ? ['requested', 'active', 'paused'] : ['requested', 'active']);
        const gap = (await repo.gapsOf(tx, [id])).find((g) => g.date === date);
        if (!gap || (p.s.endsOn && date > p.s.endsOn)) throw notFound('Visit');
        if (gap.resolution) throw conflict('This visit was already settled', 'invalid_transition');
        if (body.action === 'move') {
          // Moved to another time, the visit would no longer be at the time agreed in the offer: skipping it stays hers.
          if (p.s.quoteId) throw conflict('This time was agreed in the offer: write to the co-op to change it', 'quote_booking_reschedule');
          const listing = await repo.listingOfSeries(tx, p.s.listingId, now());
          const startsAt = new Date(body.startsAt!);
          if (startsAt.getTime() <= now().getTime()) throw badRequest('Some fields are not valid', { startsAt: [fieldError('day_passed')] });
          const ruleTime = DateTime.fromISO(`${date}T${ruleOn(await repo.rulesOf(tx, [id]), date).time}`, { zone: p.s.timeZone }).toJSDate();
          if (!nearEnough(startsAt, ruleTime, p.s.timeZone)) throw badRequest('Some fields are not valid', { startsAt: [fieldError('move_too_far')] });
          const av = availabilityOf(listing?.schedule ?? null);
          // The alternatives' own rule (nearbyFreeTimes): within the listing's notice, none is offered or taken.
          if (!pastNotice(av, startsAt, now())) throw conflict('This time is not available. Please choose one of the free slots.', 'slot_unavailable');
          // Accepted once by the co-op (active, or paused from a later date): the moved visit is too.
          const state = p.s.state === 'requested' ? 'requested' : 'accepted';
          const placed = await placeVisit(tx, termsOf(p.s), av, { date, startsAt }, {
            state, expiresAt: visitDeadline(startsAt, now()), now: now(), first: false, team: (await repo.teamOf(tx, [id])).map((t) => t.userId), actor: { id: a.userId, role: 'client' },
          });
          if (typeof placed === 'string' || placed === null) throw conflict('This time is not available. Please choose one of the free slots.', 'slot_unavailable');
        }
        await repo.resolveGap(tx, id, date, body.action === 'skip' ? 'skipped' : 'moved', now());
        await recordSeries(tx, id, by(a, p), body.action === 'skip' ? 'gap_skipped' : 'gap_moved', { from: date, detail: body.startsAt ? { startsAt: new Date(body.startsAt).toISOString() } : {} });
        // Both sides and the team hear of her choice, with the calendar brought up to date.
        const s = await repo.updateSeries(tx, id, { sequence: p.s.sequence + 1 });
        const message = body.action === 'skip' ? 'gap_skipped' : 'gap_moved';
        await tellSeries(tx, s, message, await bothSidesAndTeam(tx, s), `${id}:${message}:${date}`, { date });
        return [];
      })).series;
    },
  };
}

/** A series still asked for is withdrawn by its client; the co-op ends one it runs. */
const endable = (p: { isClient: boolean }): repo.SeriesRow['state'][] => (p.isClient ? ['requested', 'active', 'paused'] : ['active', 'paused']);
/** A pause or an end from after the last visit: already over by then, nothing would change (nothing is recorded or sent). */
function beforeEnd(s: repo.SeriesRow, from: string) {
  if (s.endsOn && from > s.endsOn) throw badRequest('Some fields are not valid', { from: [fieldError('after_series_end', { date: s.endsOn })] });
}
