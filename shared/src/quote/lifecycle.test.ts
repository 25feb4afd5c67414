import { describe, expect, it } from 'vitest';
import { canQuoteAct, canQuoteTransition, isQuoteFinal, QUOTE_STATES, QUOTE_TRANSITIONS, quoteActions, quoteTransitionFor } from './lifecycle.js';
import { depositSplit, lineAmountCents, offerPrice } from './offer.js';
import { priceBreakdown } from '../payments/breakdown.js';
import { CreateOfferBody } from '../schemas/quotes.js';

describe('quote lifecycle table', () => {
  it('lets only the co-op offer or refuse, only the client accept, decline or ask for changes, only the system expire', () => {
    expect(canQuoteTransition('requested', 'offered', 'coop_admin')).toBe(true);
    expect(canQuoteTransition('requested', 'offered', 'client')).toBe(false);
    expect(canQuoteTransition('offered', 'accepted', 'client')).toBe(true);
    expect(canQuoteTransition('offered', 'accepted', 'coop_admin')).toBe(false);
    expect(canQuoteTransition('offered', 'changes_requested', 'client')).toBe(true);
    expect(canQuoteTransition('offered', 'expired', 'system')).toBe(true);
    expect(canQuoteTransition('offered', 'expired', 'client')).toBe(false);
  });
  it('accepts only an open offer: not while changes are asked, nor before any offer', () => {
    expect(canQuoteAct('requested', 'accept', 'client')).toBe(false);
    expect(canQuoteAct('changes_requested', 'accept', 'client')).toBe(false);
    expect(canQuoteAct('offered', 'accept', 'client')).toBe(true);
  });
  it('lets the co-op revise an open offer or answer a request for changes', () => {
    expect(quoteTransitionFor('offered', 'offer')?.to).toBe('offered');
    expect(quoteTransitionFor('changes_requested', 'offer')?.to).toBe('offered');
  });
  it('never leaves a final state', () => {
    for (const s of ['accepted', 'declined', 'withdrawn', 'refused', 'expired'] as const) {
      expect(isQuoteFinal(s)).toBe(true);
      for (const to of QUOTE_STATES) for (const r of ['client', 'coop_admin', 'system'] as const) expect(canQuoteTransition(s, to, r)).toBe(false);
    }
  });
  it('offers each role its buttons', () => {
    expect(quoteActions('offered', 'client').sort()).toEqual(['accept', 'decline', 'request_changes', 'withdraw']);
    expect(quoteActions('offered', 'coop_admin').sort()).toEqual(['offer', 'refuse']);
    expect(quoteActions('requested', 'client')).toEqual(['withdraw']);
  });
  it('has one transition per state and action, and a reason where one side refuses or asks', () => {
    const keys = QUOTE_TRANSITIONS.map((t) => `${t.from}>${t.action}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const t of QUOTE_TRANSITIONS) if (t.action === 'refuse' || t.action === 'request_changes') expect(t.reasonRequired).toBe(true);
  });
});

describe('offer price', () => {
  it('rounds each line half up and adds the lines', () => {
    expect(lineAmountCents({ label: 'Heures', quantity: 2.5, unitPriceCents: 4999 })).toBe(12498); // 12 497.5
    expect(lineAmountCents({ label: 'Camion', unitPriceCents: 15000 })).toBe(15000);
    expect(lineAmountCents({ label: 'x', quantity: 0.01, unitPriceCents: 50 })).toBe(1); // 0.5
  });
  it('taxes and fee as any booking', () => {
    const p = offerPrice([{ label: 'a', quantity: 3, unitPriceCents: 9000 }, { label: 'b', unitPriceCents: 12000 }], 500, { gst: true, qst: true }, 0);
    expect(p).toMatchObject({ serviceCents: 39000, gstCents: 1950, qstCents: 3890, totalCents: 44840, platformFeeCents: 1950 });
    expect(p.deposit.totalCents).toBe(44840);
    expect(p.balance).toEqual({ serviceCents: 0, gstCents: 0, qstCents: 0, totalCents: 0, platformFeeCents: 0 });
  });
  it('splits a deposit so deposit and balance add up part by part', () => {
    for (const service of [100, 101, 9999, 39000, 123457, 99_999_999]) {
      for (const pct of [1, 25, 30, 33, 50, 99]) {
        const whole = priceBreakdown(service, 500, { gst: true, qst: true });
        const { deposit, balance } = depositSplit(whole, pct);
        expect(deposit.serviceCents + deposit.gstCents + deposit.qstCents).toBe(deposit.totalCents);
        expect(balance.serviceCents + balance.gstCents + balance.qstCents).toBe(balance.totalCents);
        expect(deposit.totalCents + balance.totalCents).toBe(whole.totalCents);
        expect(deposit.platformFeeCents + balance.platformFeeCents).toBe(whole.platformFeeCents);
        for (const k of ['serviceCents', 'gstCents', 'qstCents', 'platformFeeCents'] as const) expect(balance[k]).toBeGreaterThanOrEqual(0);
        // The deposit is taxed as its own purchase: its receipt is its service × each rate.
        const own = priceBreakdown(deposit.serviceCents, 500, { gst: true, qst: true });
        expect([deposit.gstCents, deposit.qstCents, deposit.platformFeeCents]).toEqual([own.gstCents, own.qstCents, own.platformFeeCents]);
      }
    }
    const { deposit } = depositSplit(priceBreakdown(39000, 500, { gst: true, qst: true }), 30);
    expect(deposit).toEqual({ serviceCents: 11700, gstCents: 585, qstCents: 1167, totalCents: 13452, platformFeeCents: 585 });
    // Where it matters: 850.00 $ at 25 %. A share of the total's taxes would give the deposit 10.62 $ of
    // GST on 212.50 $ of service; taxed as its own purchase it is 10.63 $, and the balance takes the rest.
    const whole = priceBreakdown(85_000, 500, { gst: true, qst: true });
    expect(depositSplit(whole, 25)).toEqual({
      deposit: { serviceCents: 21_250, gstCents: 1_063, qstCents: 2_120, totalCents: 24_433, platformFeeCents: 1_063 },
      balance: { serviceCents: 63_750, gstCents: 3_187, qstCents: 6_359, totalCents: 73_296, platformFeeCents: 3_187 },
    });
    // Without GST or QST registration, no tax line on either part.
    expect(depositSplit(priceBreakdown(85_000, 500, { gst: false, qst: false }), 25).deposit).toEqual({ serviceCents: 21_250, gstCents: 0, qstCents: 0, totalCents: 21_250, platformFeeCents: 1_063 });
  });
});

describe('offer body', () => {
  const ok = { lines: [{ label: 'Déménagement', unitPriceCents: 50000 }], validUntil: '2027-01-01T00:00:00Z', durationMinutes: 240, proposedTimes: ['2026-12-20T14:00:00Z'] };
  it('refuses no lines, a negative or absurd amount, a quantity with three decimals, a time twice', () => {
    expect(CreateOfferBody.safeParse(ok).success).toBe(true);
    expect(CreateOfferBody.safeParse({ ...ok, lines: [] }).success).toBe(false);
    expect(CreateOfferBody.safeParse({ ...ok, lines: [{ label: 'x', unitPriceCents: -1 }] }).success).toBe(false);
    expect(CreateOfferBody.safeParse({ ...ok, lines: [{ label: 'x', unitPriceCents: 100_000_001 }] }).success).toBe(false);
    expect(CreateOfferBody.safeParse({ ...ok, lines: [{ label: 'x', quantity: 1.234, unitPriceCents: 100 }] }).success).toBe(false);
    expect(CreateOfferBody.safeParse({ ...ok, proposedTimes: ['2026-12-20T14:00:00Z', '2026-12-20T09:00:00-05:00'] }).success).toBe(false);
  });
});
