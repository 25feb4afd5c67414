/**
 * A conversation's words and links: the feed as lines in time order (a refusal's reason marked to
 * be shown plainly), who the other party is in a list, who may book a slot offered in a message
 * and where that leads, and a wall-clock time as an instant across both daylight-saving changes.
 * Needs the compiled messages (`pnpm --filter @tissu/web paraglide`).
 */
import type { FeedItem, Message, User } from '@tissu/shared';
import { describe, expect, it } from 'vitest';
import { authorLabel, canBookOffer, feedLines, instantAt, offerHref, otherParty, speaksForCoop } from './conversation-text';

const COOP = '11111111-1111-4111-8111-111111111111';
const OTHER_COOP = '22222222-2222-4222-8222-222222222222';
const CONV = '33333333-3333-4333-8333-333333333333';
const LISTING = '44444444-4444-4444-8444-444444444444';

const message = (over: Partial<Message> = {}): Message => ({
  id: '55555555-5555-4555-8555-555555555555',
  conversationId: CONV,
  authorName: 'Coop Ménage',
  authorRole: 'coop_admin',
  mine: false,
  body: 'Bonjour',
  offer: null,
  hidden: false,
  reportedByMe: false,
  createdAt: '2027-01-10T15:00:00.000Z',
  ...over,
});

const user = (coops: { coopId: string; role: 'admin' | 'worker' }[]): Pick<User, 'coops'> => ({
  coops: coops.map((c) => ({ ...c, coopSlug: 'x', coopName: 'X', coopStatus: 'approved' as const, lastAdmin: false })),
});

describe('the feed as lines', () => {
  const feed: FeedItem[] = [
    {
      type: 'booking_event',
      at: '2027-01-10T14:00:00.000Z',
      bookingId: CONV,
      event: { at: '2027-01-10T14:00:00.000Z', actorName: 'Marie-Ève T.', actorRole: 'client', kind: 'created', from: null, to: 'requested', reason: null },
    },
    { type: 'message', at: '2027-01-10T15:00:00.000Z', message: message() },
    {
      type: 'booking_event',
      at: '2027-01-10T16:00:00.000Z',
      bookingId: CONV,
      event: { at: '2027-01-10T16:00:00.000Z', actorName: 'Awa', actorRole: 'coop_admin', kind: 'transition', from: 'requested', to: 'declined', reason: 'Nous sommes complets ce jour-là.' },
    },
  ];

  it('keeps the order it was given, messages and state changes alike', () => {
    const lines = feedLines(feed, 'America/Toronto');
    expect(lines.map((l) => l.kind)).toEqual(['event', 'message', 'event']);
    expect(lines.map((l) => l.at)).toEqual(feed.map((f) => f.at));
  });

  it('says a quote\u2019s history in words: asked, each version sent, the answer with its reason', () => {
    const q = (at: string, e: Partial<Extract<FeedItem, { type: 'quote_event' }>['event']>): FeedItem => ({
      type: 'quote_event', at, quoteId: CONV,
      event: { at, actorName: 'Awa', actorRole: 'coop_admin', kind: 'transition', from: null, to: 'offered', offerVersion: null, reason: null, ...e },
    });
    const lines = feedLines([
      q('2027-01-10T14:00:00.000Z', { kind: 'created', to: 'requested', actorName: 'Marie-Ève T.', actorRole: 'client' }),
      q('2027-01-10T15:00:00.000Z', { kind: 'offer_sent', to: 'offered', offerVersion: 2 }),
      q('2027-01-10T16:00:00.000Z', { from: 'offered', to: 'changes_requested', actorName: 'Marie-Ève T.', actorRole: 'client', reason: 'Sans le piano ?' }),
      q('2027-01-10T17:00:00.000Z', { from: 'requested', to: 'refused', reason: 'Trop loin pour nous.' }),
    ], 'America/Toronto');
    expect(lines.map((l) => (l.kind === 'event' ? [l.title, l.detail, l.refusal] : null))).toEqual([
      ['Demande de devis envoyée', null, false],
      ['Devis envoyé (version 2)', null, false],
      ['Changements demandés', 'Sans le piano ?', false],
      ['Refusée par la coopérative', 'Trop loin pour nous.', true],
    ]);
  });

  it('marks a refusal and carries its reason, word for word', () => {
    const [, , refusal] = feedLines(feed, 'America/Toronto');
    expect(refusal).toMatchObject({ kind: 'event', refusal: true, detail: 'Nous sommes complets ce jour-là.' });
    expect(feedLines(feed, 'America/Toronto')[0]).toMatchObject({ refusal: false });
  });

  it('gives every line its own key', () => {
    const keys = feedLines(feed, 'America/Toronto').map((l) => l.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('who is who', () => {
  it('names the side an author speaks for', () => {
    expect(authorLabel(message({ authorName: 'Amina Diallo', authorRole: 'worker' }))).toBe('Amina Diallo (coopérative)');
    expect(authorLabel(message({ authorName: 'Marie-Ève T.', authorRole: 'client' }))).toBe('Marie-Ève T. (client)');
  });

  it('shows the client to the co-op’s people and the co-op to the client', () => {
    const summary = { coopId: COOP, coopName: 'Coop Ménage', clientName: 'Marie-Ève T.' };
    expect(otherParty(summary, user([{ coopId: COOP, role: 'admin' }]))).toBe('Marie-Ève T.');
    expect(otherParty(summary, user([{ coopId: COOP, role: 'worker' }]))).toBe('Marie-Ève T.');
    // An admin of another co-op writing to this one is its client.
    expect(otherParty(summary, user([{ coopId: OTHER_COOP, role: 'admin' }]))).toBe('Coop Ménage');
    expect(otherParty(summary, null)).toBe('Coop Ménage');
    expect(speaksForCoop(user([]), COOP)).toBe(false);
  });
});

describe('a slot offered in a message', () => {
  const offer = { listingId: LISTING, startsAt: '2027-01-15T14:00:00.000Z', listingTitle: 'Ménage' };
  const conversation = { coopId: COOP, bookingId: null, seriesId: null };
  const client = { can: { post: true, offer: false, hide: false }, conversation };
  const admin = { can: { post: true, offer: true, hide: false }, conversation };
  const steward = { can: { post: false, offer: false, hide: true }, conversation };
  const booked = { ...client, conversation: { ...conversation, bookingId: CONV } };
  const her = user([{ coopId: OTHER_COOP, role: 'admin' }]);
  const coopAdmin = user([{ coopId: COOP, role: 'admin' }]);

  it('can be booked by the client only, from the co-op’s side, while it shows and nothing is booked yet', () => {
    expect(canBookOffer(client, message({ offer }), her)).toBe(true);
    expect(canBookOffer(client, message({ offer }), null)).toBe(true);
    expect(canBookOffer(admin, message({ offer, mine: true }), coopAdmin)).toBe(false);
    // Another admin of the co-op reads it once booked (no offers then): still no button for her.
    expect(canBookOffer({ ...booked, can: { post: true, offer: false, hide: false } }, message({ offer }), coopAdmin)).toBe(false);
    expect(canBookOffer({ ...client, conversation }, message({ offer }), coopAdmin)).toBe(false);
    expect(canBookOffer(steward, message({ offer }), null)).toBe(false);
    expect(canBookOffer(client, message({ offer, hidden: true }), her)).toBe(false);
    expect(canBookOffer(client, message({ offer: null }), her)).toBe(false);
    expect(canBookOffer(booked, message({ offer }), her)).toBe(false);
  });

  it('opens the listing’s booking form at that time, carrying the conversation', () => {
    const href = offerHref(offer, CONV);
    const url = new URL(href, 'https://tissu.test');
    expect(url.pathname).toBe(`/listings/${LISTING}`);
    expect(url.searchParams.get('slot')).toBe(offer.startsAt);
    expect(url.searchParams.get('conversation')).toBe(CONV);
    expect(url.hash).toBe('#book');
  });
});

describe('a date and time in a zone', () => {
  it('reads the wall clock of the zone on both sides of the daylight-saving changes', () => {
    expect(instantAt('2027-03-13', '10:00', 'America/Toronto')).toBe('2027-03-13T15:00:00.000Z');
    expect(instantAt('2027-03-14', '10:00', 'America/Toronto')).toBe('2027-03-14T14:00:00.000Z');
    expect(instantAt('2027-11-06', '10:00', 'America/Toronto')).toBe('2027-11-06T14:00:00.000Z');
    expect(instantAt('2027-11-07', '10:00', 'America/Toronto')).toBe('2027-11-07T15:00:00.000Z');
    expect(instantAt('2027-07-01', '09:30', 'America/Vancouver')).toBe('2027-07-01T16:30:00.000Z');
  });

  it('refuses what is not a date or a time', () => {
    expect(instantAt('2027-02-30', '10:00', 'America/Toronto')).toBeNull();
    expect(instantAt('2027-02-03', '24:00', 'America/Toronto')).toBeNull();
    expect(instantAt('demain', '10:00', 'America/Toronto')).toBeNull();
    expect(instantAt('2027-02-03', '10h', 'America/Toronto')).toBeNull();
  });
});
