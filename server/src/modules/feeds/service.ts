import { createHash, createHmac, randomBytes } from 'node:crypto';
import { CALENDAR_FEED_FILE, VISIT_DETAILS_DAYS, type AppLocale, type CalendarFeed, type CalendarFeedKind, type CalendarFeedList } from '@tissu/shared';
import type { Tx } from '@tissu/db';
import { requireActor, type Actor } from '../../actor.js';
import { notFound } from '../../errors.js';
import { requireCoopRole } from '../coops/index.js';
import { bookingSequences, bookingUid, feedCalendar, type FeedEvent } from '../notifications/index.js';
import * as repo from './repository.js';
import { builtFeeds } from './built-feeds.js';

/**
 * What a feed holds: visits from 30 days back to a year ahead, visits ended in the last 30 days
 * (as cancelled, so subscribed calendars drop them), at most MAX_EVENTS of them, earliest first.
 */
export const FEED_WINDOW = { pastDays: 30, futureDays: 365, endedDays: 30, maxEvents: 2000 } as const;
const DAY_MS = 86_400_000;
/** A visit's notes in a feed: the start of them, enough to prepare the visit; the booking's page has them whole. */
export const FEED_NOTES_MAX = 500;

/** The text cut to `max` characters with "…" at the end, never inside a character. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let head = text.slice(0, max - 1);
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  return `${head.trimEnd()}…`;
}


const TEXT = {
  fr: { see: 'Voir la réservation', notes: 'Notes', request: 'Demande', unpaid: 'À payer', client: 'Mes réservations', worker: 'Mes visites', coop: 'Réservations' },
  en: { see: 'See the booking', notes: 'Notes', request: 'Request', unpaid: 'Awaiting payment', client: 'My bookings', worker: 'My visits', coop: 'Bookings' },
};

export interface FeedsDeps { db: Tx; secret: string; webOrigin: string; now: () => Date }

/** A 404 that says nothing of whether the address ever existed. */
const noFeed = () => notFound('Calendar');

export function createFeedsService({ db, secret, webOrigin, now }: FeedsDeps) {
  // The token is derived, not stored: the database alone (a backup, a leak) opens no feed.
  const tokenOf = (seed: string) => createHmac('sha256', secret).update(`tissu-calendar-feed:${seed}`).digest('base64url');
  const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
  const urlOf = (seed: string) => `${webOrigin}/calendar/${tokenOf(seed)}.ics`;
  const built = builtFeeds();

  /** Whether the person may still read this view: a worker still in the co-op, an admin still its admin. */
  async function entitled(f: { userId: string; kind: CalendarFeedKind; coopId: string | null }): Promise<boolean> {
    if (f.kind === 'client') return true;
    const role = await repo.roleIn(db, f.coopId!, f.userId);
    return f.kind === 'worker' ? role !== undefined : role === 'admin';
  }

  return {
    /** The feeds the person may have (hers as a client, one per co-op she works for, one per co-op she runs), with their addresses once made. */
    async list(actor: Actor | null): Promise<CalendarFeedList> {
      const a = requireActor(actor);
      const [rows, memberships] = await Promise.all([repo.feedsOf(db, a.userId), repo.membershipsOf(db, a.userId)]);
      const seedOf = (kind: CalendarFeedKind, coopId: string | null) => rows.find((r) => r.kind === kind && r.coopId === coopId)?.seed;
      const entry = (kind: CalendarFeedKind, coopId: string | null, coopName: string | null): CalendarFeed => {
        const seed = seedOf(kind, coopId);
        return { kind, coopId, coopName, url: seed ? urlOf(seed) : null };
      };
      return {
        feeds: [
          entry('client', null, null),
          ...memberships.flatMap((m) => [
            ...(m.role === 'admin' ? [entry('coop', m.coopId, m.coopName)] : []),
            entry('worker', m.coopId, m.coopName),
          ]),
        ],
      };
    },

    /** Makes the feed's address, or a new one in place of the old (which answers 404 from then on). */
    async reset(actor: Actor | null, body: { kind: CalendarFeedKind; coopId?: string | null }): Promise<CalendarFeed> {
      const a = requireActor(actor);
      const coopId = body.kind === 'client' ? null : body.coopId!;
      let coopName: string | null = null;
      if (coopId) coopName = (await requireCoopRole(db, a, coopId, body.kind === 'coop' ? 'admin' : 'member')).coop.legalName;
      const seed = randomBytes(32).toString('base64url');
      await repo.upsertFeed(db, { userId: a.userId, kind: body.kind, coopId, seed, tokenHash: hashOf(tokenOf(seed)) });
      return { kind: body.kind, coopId, coopName, url: urlOf(seed) };
    },

    /** The feed an address opens, as iCalendar; 404 for any address that opens none (never made, reset, or no longer hers to read). */
    async calendar(file: string): Promise<string> {
      const token = CALENDAR_FEED_FILE.exec(file)?.[1];
      if (!token) throw noFeed();
      const feed = await repo.feedByTokenHash(db, hashOf(token));
      if (!feed || !(await entitled(feed))) throw noFeed();
      const owner = await repo.ownerOf(db, feed.userId);
      if (!owner) throw noFeed();
      const locale: AppLocale = owner.locale;
      const at = now().getTime();
      const span = {
        from: new Date(at - FEED_WINDOW.pastDays * DAY_MS), to: new Date(at + FEED_WINDOW.futureDays * DAY_MS),
        endedSince: new Date(at - FEED_WINDOW.endedDays * DAY_MS), max: FEED_WINDOW.maxEvents,
        detailsUntil: new Date(at - VISIT_DETAILS_DAYS * DAY_MS),
      };
      // Read before the visits: a change in between is built now and makes the next stamp differ.
      const stamp = `${locale}|${await repo.feedStamp(db, feed, span)}`;
      return built.serve(feed.id, stamp, () => build(feed, locale, span));
    },
  };

  /** The feed's calendar as it is now. */
  async function build(feed: repo.FeedRow, locale: AppLocale, span: repo.FeedWindow): Promise<string> {
    const T = TEXT[locale];
    const visits = await repo.feedVisits(db, feed, span);
    const sequences = await bookingSequences(db, visits.map((v) => v.id));
    const colon = locale === 'fr' ? ' :' : ':';
    const events: FeedEvent[] = visits.map((v) => {
      const title = locale === 'fr' ? v.titleFr : v.titleEn;
      const url = `${webOrigin}/bookings/${v.id}`;
      const forTeam = feed.kind !== 'client';
      // The team sees who it goes to (first name only) and the client's notes; the client sees which co-op comes.
      const who = forTeam ? (v.contactName.trim().split(/\s+/u)[0] ?? '') : v.coopName;
      // Confirmed means paid (DESIGN): a request, or a visit accepted but not paid yet (cancelled if it
      // stays unpaid), is tentative, and its title says which (found by a walk: both read CONFIRMED).
      const tentative = v.state === 'requested' || v.state === 'accepted';
      const pending = v.state === 'requested' ? T.request : v.state === 'accepted' ? T.unpaid : null;
      // Law 25, as in "Mes visites": a worker no longer reads the client's address and notes once the
      // visit is VISIT_DETAILS_DAYS past; the co-op's admins (its feed) and the client keep them.
      const details = feed.kind !== 'worker' || v.endsAt.getTime() >= span.detailsUntil.getTime();
      return {
        uid: bookingUid(v.id), start: v.startsAt, end: v.endsAt, timeZone: v.timeZone,
        summary: `${pending ? `${pending}${colon} ` : ''}${title}${who ? ` — ${who}` : ''}`,
        description: [forTeam && details && v.notes.trim() ? `${T.notes}${colon} ${cutText(v.notes.trim(), FEED_NOTES_MAX)}` : '', `${T.see}${colon} ${url}`].filter(Boolean).join('\n'),
        location: details ? v.address : '', url, sequence: sequences.get(v.id) ?? 0, lastModified: v.updatedAt,
        cancelled: (repo.ENDED as readonly string[]).includes(v.state), tentative,
      };
    });
    const coop = feed.coopId ? await repo.coopName(db, feed.coopId) : null;
    return feedCalendar(`Tissu — ${T[feed.kind]}${coop ? ` (${coop})` : ''}`, events);
  }
}
