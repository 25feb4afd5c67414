/**
 * Where a booking stands, in words for whoever reads the page: the client, the co-op's admin, a
 * worker assigned to it, a steward. And an instant booking is booked, not "accepted by the co-op".
 */
import type { Booking } from '@tissu/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { bookedInstantly, bookingAmount, bookingLabel, bookingReader, bookingStateSentence } from './booking-text';
import { graceAfterAcceptanceApplies } from './cancellation-text';
import { m } from '$lib/paraglide/messages';

beforeAll(() => overwriteGetLocale(() => 'fr'));
afterAll(() => overwriteGetLocale(() => 'fr'));

const nobody = { isClient: false, isCoopAdmin: false, isWorker: false, isSteward: false };
const created = (to: string) => ({ at: '2026-12-01T15:00:00Z', actorName: 'Camille', actorRole: 'client' as const, kind: 'created' as const, from: null, to, reason: null });

function booking(over: Partial<Booking>): Booking {
  return {
    state: 'requested', timeZone: 'America/Toronto', expiresAt: '2026-12-03T15:00:00Z', workers: [], actions: [],
    events: [created('requested')], viewer: { ...nobody, isClient: true },
    cancellation: { freeCancellationHours: 24, lateCancellationPercent: 50, noShowPercent: 100, deadline: '2026-12-09T15:00:00Z', coopAcceptedAt: null },
    ...over,
  } as Booking;
}

describe('who reads the booking', () => {
  it('is the client first, then the co-op admin, then an assigned worker, else a steward', () => {
    expect(bookingReader({ ...nobody, isClient: true, isCoopAdmin: true })).toBe('client');
    expect(bookingReader({ ...nobody, isCoopAdmin: true, isWorker: true })).toBe('coop');
    expect(bookingReader({ ...nobody, isWorker: true })).toBe('worker');
    expect(bookingReader({ ...nobody, isSteward: true })).toBe('steward');
  });
});

describe('a declined request', () => {
  const declined = (viewer: Booking['viewer']) => bookingStateSentence(booking({ state: 'declined', viewer }));
  it('tells the client she paid nothing, and the co-op and others that the client paid nothing', () => {
    expect(declined({ ...nobody, isClient: true })).toBe("La coopérative a refusé cette demande. Vous n'avez rien payé.");
    expect(declined({ ...nobody, isCoopAdmin: true })).toBe("Vous avez refusé cette demande. Le client n'a rien payé.");
    for (const viewer of [{ ...nobody, isWorker: true }, { ...nobody, isSteward: true }]) {
      expect(declined(viewer)).toBe("La coopérative a refusé cette demande. Le client n'a rien payé.");
    }
  });
});

describe('an instant booking', () => {
  const instant = (over: Partial<Booking> = {}) => booking({ state: 'accepted', events: [created('accepted')], ...over });
  it('is told apart from a request the co-op accepted', () => {
    expect(bookedInstantly(instant())).toBe(true);
    const accepted = booking({
      state: 'accepted',
      events: [created('requested'), { ...created('accepted'), kind: 'transition', from: 'requested', actorRole: 'coop_admin' }],
      cancellation: { freeCancellationHours: 24, lateCancellationPercent: 50, noShowPercent: 100, deadline: '2026-12-09T15:00:00Z', coopAcceptedAt: '2026-12-01T16:00:00Z' },
    });
    expect(bookedInstantly(accepted)).toBe(false);
    expect(bookedInstantly(booking({}))).toBe(false);
    // A visit of a series made accepted by its job: the series page says "Acceptée", so does the visit's.
    expect(bookedInstantly(instant({ series: { id: '00000000-0000-4000-8000-000000000001', date: '2027-01-08' } }))).toBe(false);
    expect(bookingLabel(instant({ series: { id: '00000000-0000-4000-8000-000000000001', date: '2027-01-08' } }))).toBe('Acceptée — à payer');
  });

  it('is badged booked, not accepted', () => {
    expect(bookingLabel(instant())).toBe('Réservée — à payer');
    expect(bookingLabel(booking({ state: 'accepted', events: [created('requested')] }))).toBe('Acceptée — à payer');
  });

  it('says it is booked and waits for payment, with no co-op acceptance', () => {
    const client = bookingStateSentence(instant());
    expect(client).not.toMatch(/accept/i);
    expect(client).toMatch(/^C'est réservé\. Payez d'ici le .+ pour confirmer la réservation\.$/);
    const coop = bookingStateSentence(instant({ viewer: { ...nobody, isCoopAdmin: true } }));
    expect(coop).not.toMatch(/accept/i);
    expect(coop).toMatch(/^Réservée directement par le client\. Le client doit payer d'ici le .+ ; la réservation est confirmée au paiement\.$/);
  });
});

describe('the amount on a booking’s card', () => {
  const plain = (x: { amount: string; note: string | null }) => ({ amount: x.amount.replace(/[\u00a0\u202f]/g, ' '), note: x.note?.replace(/[\u00a0\u202f]/g, ' ') ?? null });
  it('is the price before taxes, so labelled, until paid', () => {
    expect(plain(bookingAmount({ priceCents: 13_500, paid: null }))).toEqual({ amount: '135,00 $ avant taxes', note: null });
    // A worker is not told the client's money: the API leaves it out and the card says nothing of it.
    expect(plain(bookingAmount({ priceCents: null, paid: null }))).toEqual({ amount: '', note: null });
  });
  it('is what was paid with its taxes once paid (135,00 $ + 6,75 $ + 13,47 $), and says what came back', () => {
    expect(plain(bookingAmount({ priceCents: 13_500, paid: { totalCents: 15_522, refundedCents: 0 } }))).toEqual({ amount: 'Payé : 155,22 $', note: null });
    expect(plain(bookingAmount({ priceCents: 19_000, paid: { totalCents: 19_000, refundedCents: 19_000 } }))).toEqual({ amount: 'Payé : 190,00 $', note: 'Remboursé en entier' });
    expect(plain(bookingAmount({ priceCents: 13_500, paid: { totalCents: 15_522, refundedCents: 7_761 } }))).toEqual({ amount: 'Payé : 155,22 $', note: 'Remboursé : 77,61 $' });
  });
});

describe('free cancellation after a late acceptance', () => {
  // Issue 13 walk: the terms promised 24 h after a late acceptance to every request; the rule
  // (shared cancellationDeadline) gives it only to a request sent before the limit.
  const startsAt = '2027-03-16T13:00:00.000Z';
  const terms = { request: true, freeCancellationHours: 48, startsAt };
  it('is said only where it can apply: a request sent before the limit', () => {
    expect(graceAfterAcceptanceApplies({ ...terms, requestedAt: '2027-03-10T12:00:00.000Z' })).toBe(true);
    expect(graceAfterAcceptanceApplies({ ...terms, requestedAt: '2027-03-15T12:00:00.000Z' })).toBe(false); // sent after the limit
    expect(graceAfterAcceptanceApplies({ ...terms, request: false, requestedAt: '2027-03-10T12:00:00.000Z' })).toBe(false); // instant
    expect(graceAfterAcceptanceApplies({ ...terms, freeCancellationHours: 0 })).toBe(false);
    // A booking form: the limit is the deadline of the slot chosen, the request sent now.
    expect(graceAfterAcceptanceApplies({ request: true, freeCancellationHours: 48, deadline: '2027-03-14T13:00:00.000Z', requestedAt: '2027-03-14T14:00:00.000Z' })).toBe(false);
    expect(graceAfterAcceptanceApplies({ request: true, freeCancellationHours: 48 })).toBe(true); // the listing's terms in general
  });

  it('says it is for a request sent before the limit', () => {
    expect(m.cancel_terms_after_acceptance({ hours: 24 })).toBe(
      "Une demande envoyée avant cette limite reste annulable sans frais jusqu'à 24 h après son acceptation par la coopérative, si cela va au-delà de la limite (au plus tard jusqu'au début).");
  });
});

describe('a booking that lapsed', () => {
  const accepted = { ...created('accepted'), kind: 'transition' as const, from: 'requested', actorRole: 'coop_admin' as const };
  const lapsed = (events: Booking['events'], viewer: Booking['viewer']) => booking({ state: 'expired', events, viewer });
  it('unpaid after it was accepted or booked, says it was cancelled for want of payment, to each side', () => {
    expect(bookingLabel(lapsed([created('requested'), accepted], { ...nobody, isClient: true }))).toBe('Annulée faute de paiement');
    expect(bookingStateSentence(lapsed([created('accepted')], { ...nobody, isClient: true }))).toBe("Cette réservation a été annulée : elle n'a pas été payée avant l'échéance. Rien n'a été payé.");
    expect(bookingStateSentence(lapsed([created('requested'), accepted], { ...nobody, isCoopAdmin: true }))).toMatch(/le client ne l'a pas payée .+ Personne n'a à s'y rendre\.$/);
  });
  it('unanswered, is still a request that expired', () => {
    expect(bookingLabel(lapsed([created('requested')], { ...nobody, isClient: true }))).toBe('Expirée');
    expect(bookingStateSentence(lapsed([created('requested')], { ...nobody, isClient: true }))).toBe(m.booking_explain_expired());
  });
});
