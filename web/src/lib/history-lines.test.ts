/**
 * History lines the series page and a visit's page add: a visit a closed day took (series history)
 * and a refused charge of the saved card, with why (the visit's own history), in French and English.
 * Needs the compiled messages (`pnpm --filter @tissu/web paraglide`).
 */
import type { Booking, Series } from '@tissu/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { eventDetail, eventTitle } from './booking-text';
import { seriesEventTitle } from './series-text';

type Locale = 'fr' | 'en';
let current: Locale = 'fr';
beforeAll(() => overwriteGetLocale(() => current));
afterAll(() => overwriteGetLocale(() => 'fr'));
const plain = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');
const inBoth = (f: () => string | null): Record<Locale, string> => {
  const out = {} as Record<Locale, string>;
  for (const l of ['fr', 'en'] as const) {
    current = l;
    out[l] = plain(f());
  }
  current = 'fr';
  return out;
};

// A closure of 10:00–14:00 was called a closed day while the same day still offered 14:00: the
// words say the co-op is closed at that time, true of a closed day and of closed hours alike.
describe('a visit closed hours took, in the series history', () => {
  it('names the visit and says the co-op is closed at that time', () => {
    const e: Series['history'][number] = {
      at: '2026-12-05T15:00:00Z', kind: 'visit_closed', actorRole: 'coop_admin', actorName: 'Sophie', from: '2026-12-24', time: null, frequency: null, team: null,
      startsAt: '2026-12-24T14:00:00Z', movedFrom: null, reason: null,
    };
    expect(inBoth(() => seriesEventTitle(e, 'America/Toronto'))).toEqual({
      fr: 'Visite du jeudi 24 décembre 2026 à 9 h 00 annulée : la coopérative est fermée à cette heure-là',
      en: 'Visit of Thursday, December 24, 2026 at 9:00 a.m. cancelled: the co-op is closed at that time',
    });
  });
});

describe("a refused charge, in the visit's history", () => {
  const refused = (reason: string): Booking['events'][number] => ({ at: '2026-12-05T15:00:00Z', actorName: null, actorRole: 'system', kind: 'charge_failed', from: 'accepted', to: 'accepted', reason });
  it('says the saved card was refused, and why in words rather than Stripe\'s code', () => {
    expect(inBoth(() => eventTitle(refused('card_declined:insufficient_funds'), true))).toEqual({ fr: 'Paiement par carte enregistrée refusé', en: 'Saved card payment refused' });
    expect(inBoth(() => eventDetail(refused('card_declined:insufficient_funds'), 'America/Toronto'))).toEqual({ fr: 'Fonds insuffisants.', en: 'Insufficient funds.' });
    expect(inBoth(() => eventDetail(refused('authentication_required'), 'America/Toronto')).fr).toBe('La banque demande de confirmer le paiement soi-même.');
    expect(inBoth(() => eventDetail(refused('card_declined:generic_decline'), 'America/Toronto'))).toEqual({ fr: 'Carte refusée.', en: 'Card declined.' });
  });
});

describe("minutes confirmed or corrected, in the booking's history", () => {
  const confirmed = (reason: string): Booking['events'][number] => ({ at: '2026-12-05T15:00:00Z', actorName: 'Sophie', actorRole: 'coop_admin', kind: 'minutes_confirmed', from: 'completed', to: 'completed', reason });
  it('says minutes were confirmed (not a bare note), with who, before, after and why as the server wrote them', () => {
    expect(inBoth(() => eventTitle(confirmed('Amina Diallo · 170 → 165 min · En retard'), false))).toEqual({ fr: 'Minutes confirmées', en: 'Minutes confirmed' });
    expect(inBoth(() => eventDetail(confirmed('Amina Diallo · – → 80 min'), 'America/Toronto')).fr).toBe('Amina Diallo · – → 80 min');
  });
});

// A quote's booking was told by the English reason "Quote accepted"; it is the booking's quoteId now.
describe("a quote's booking, in its history", () => {
  const created = (reason: string | null): Booking['events'][number] => ({ at: '2026-12-05T15:00:00Z', actorName: 'Claire', actorRole: 'client', kind: 'created', from: null, to: 'accepted', reason });
  it('reads as a quote accepted when the booking has a quote, whatever the reason says', () => {
    expect(inBoth(() => eventTitle(created(null), false, true))).toEqual({ fr: 'Devis accepté : réservation faite', en: 'Quote accepted: booked' });
    expect(inBoth(() => eventTitle(created('Quote accepted'), false, false)).fr).not.toBe('Devis accepté : réservation faite');
  });
});
