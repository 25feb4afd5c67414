/**
 * A co-op not registered for GST and QST collects no taxes: its pay page and receipt said
 * "taxes comprises" all the same. And a receipt refunded in full still split the money as if paid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { breakdownSplit, cancelNowText, receiptBreakdown, refundLines, refundReason, savedCardCharge, taxesNote } from './payment-text';

beforeAll(() => overwriteGetLocale(() => 'fr'));
afterAll(() => overwriteGetLocale(() => 'fr'));
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

// 190,00 $ at 5 %: 9,50 $ to Tissu, 180,50 $ to the co-op, no taxes.
const untaxed = { serviceCents: 19_000, gstCents: 0, qstCents: 0, totalCents: 19_000, feeRateBps: 500, platformFeeCents: 950, coopCents: 18_050 };
// 135,00 $ + TPS 6,75 $ + TVQ 13,47 $ (9,975 % of 135,00 $ = 13,466… half up) = 155,22 $; 6,75 $ to Tissu.
const taxed = { serviceCents: 13_500, gstCents: 675, qstCents: 1_347, totalCents: 15_522, feeRateBps: 500, platformFeeCents: 675, coopCents: 14_847 };

describe('taxes', () => {
  it('are said included only when there are some', () => {
    expect(taxesNote(untaxed)).toBe('sans taxes');
    expect(taxesNote(taxed)).toBe('taxes comprises');
  });

  it('are named in the split only when the co-op collects them', () => {
    expect(plain(breakdownSplit(untaxed))).toBe('Dont 180,50 $ pour la coopérative et 9,50 $ (5 % du service) pour Tissu.');
    expect(plain(breakdownSplit(taxed))).toBe(
      "Dont 148,47 $ pour la coopérative (taxes comprises, qu'elle remet aux gouvernements) et 6,75 $ (5 % du service) pour Tissu.",
    );
  });
});

describe('after a refund', () => {
  it('says a full refund leaves nothing to anyone', () => {
    const all = [{ totalCents: 19_000, gstCents: 0, qstCents: 0, platformFeeCents: 950 }];
    expect(plain(breakdownSplit(untaxed, all))).toBe("Remboursé en entier (190,00 $) : ni la coopérative ni Tissu n'en gardent quoi que ce soit.");
  });

  it('says what each keeps after a partial one: refunded + co-op + Tissu = the total paid', () => {
    // Half the service back: 95,00 $, of which Tissu's fee on it, 4,75 $.
    const half = [{ totalCents: 9_500, gstCents: 0, qstCents: 0, platformFeeCents: 475 }];
    expect(plain(breakdownSplit(untaxed, half))).toBe('Remboursé : 95,00 $. Du reste, 90,25 $ va à la coopérative et 4,75 $ (5 % du service) à Tissu.');
    expect(9_500 + 9_025 + 475).toBe(untaxed.totalCents);
  });
});

describe('a refund’s line on the receipt', () => {
  it('names no taxes when none were paid', () => {
    expect(plain(refundLines({ serviceCents: 4_000, gstCents: 0, qstCents: 0 }))).toBe('service 40,00 $, sans taxes');
    expect(plain(refundLines({ serviceCents: 13_500, gstCents: 675, qstCents: 1_347 }))).toMatch(/^service 135,00 \$.*6,75 \$.*13,47 \$/);
  });
});

describe('a visit her saved card will pay', () => {
  const HOUR = 3_600_000;
  const startsAt = '2027-03-16T13:00:00.000Z'; // 9:00 in Montréal
  const visit = {
    series: { id: 's', date: '2027-03-16' }, state: 'accepted' as const, startsAt, timeZone: 'America/Toronto', createdAt: '2027-03-01T12:00:00.000Z',
    cancellation: { freeCancellationHours: 48, lateCancellationPercent: 50, noShowPercent: 100, deadline: '2027-03-14T13:00:00.000Z', coopAcceptedAt: null },
  };
  const unpaid = { payable: true, status: 'unpaid' as const };
  const visa = { brand: 'visa', last4: '4242' };

  it('says the card and when it is charged, unless she pays now', () => {
    expect(plain(savedCardCharge(visit, unpaid, visa, new Date('2027-03-10T12:00:00Z'))!)).toBe(
      'Votre carte Visa •••• 4242 sera débitée automatiquement le dimanche 14 mars 2027 à 9 h 00, à moins que vous ne payiez maintenant.');
  });

  // Issue 13 walk: once the charge time was reached (or for a request accepted late) the page showed only "Payer".
  it('still says so when the charge is due: in the next few minutes, and at the time the job will charge it for a request accepted late', () => {
    expect(plain(savedCardCharge(visit, unpaid, visa, new Date(Date.parse(startsAt) - 30 * HOUR))!)).toBe(
      'Votre carte Visa •••• 4242 sera débitée automatiquement dans les prochaines minutes, à moins que vous ne payiez maintenant.');
    // Asked well ahead, accepted 30 h before: free for 24 h after the acceptance, so charged 6 h before the visit (3:00).
    const late = { ...visit, cancellation: { ...visit.cancellation, coopAcceptedAt: new Date(Date.parse(startsAt) - 30 * HOUR).toISOString() } };
    expect(plain(savedCardCharge(late, unpaid, visa, new Date(Date.parse(startsAt) - 29 * HOUR))!)).toContain('le mardi 16 mars 2027 à 3 h 00');
  });

  it('says nothing without a card, once paid, or for a single booking', () => {
    expect(savedCardCharge(visit, unpaid, null, new Date('2027-03-10T12:00:00Z'))).toBeNull();
    expect(savedCardCharge(visit, { payable: false, status: 'paid' }, visa, new Date('2027-03-10T12:00:00Z'))).toBeNull();
    expect(savedCardCharge({ ...visit, series: null }, unpaid, visa, new Date('2027-03-10T12:00:00Z'))).toBeNull();
  });
});

describe('the cancel form of a paid booking', () => {
  // Issue 13 walk: "la coopérative garde 60,75 $ … le reste vous est remboursé, taxes comprises", when
  // she loses 69,85 $ (60,75 + TPS 3,04 + TVQ 6,06). The figures are the API's refund preview.
  it('says what the co-op keeps with its taxes and what comes back, a sum anyone can redo', () => {
    const late = { paidCents: 15_522, refundCents: 8_537, kept: { serviceCents: 6_075, gstCents: 304, qstCents: 606, totalCents: 6_985 } };
    expect(plain(cancelNowText(late, 45))).toBe(
      "Le délai d'annulation gratuite est passé. Sur les 155,22 $ payés, la coopérative garde 45 % du prix du service avec ses taxes, soit 69,85 $ (60,75 $ + TPS 3,04 $ + TVQ 6,06 $) ; 85,37 $ vous sont remboursés.");
    expect(late.kept.serviceCents + late.kept.gstCents + late.kept.qstCents).toBe(late.kept.totalCents);
    expect(late.kept.totalCents + late.refundCents).toBe(late.paidCents);
  });

  it('names no taxes where none were paid, and says everything comes back when free', () => {
    const untaxedLate = { paidCents: 19_000, refundCents: 9_500, kept: { serviceCents: 9_500, gstCents: 0, qstCents: 0, totalCents: 9_500 } };
    expect(plain(cancelNowText(untaxedLate, 50))).toBe(
      "Le délai d'annulation gratuite est passé. Sur les 190,00 $ payés, la coopérative garde 50 % du prix du service, soit 95,00 $ ; 95,00 $ vous sont remboursés.");
    const free = { paidCents: 15_522, refundCents: 15_522, kept: { serviceCents: 0, gstCents: 0, qstCents: 0, totalCents: 0 } };
    expect(plain(cancelNowText(free, 45))).toBe("Vous êtes dans le délai d'annulation gratuite : les 155,22 $ payés vous seront remboursés en entier, taxes comprises.");
  });

  // An 850,00 $ move paid with a 30 % deposit (293,19 $): the policy's share of the whole price, at most what was paid.
  it('on a deposit, says the share is of the whole price, capped at what was paid, and that the balance is not owed', () => {
    const all = { paidCents: 29_319, refundCents: 0, kept: { serviceCents: 25_500, gstCents: 1_275, qstCents: 2_544, totalCents: 29_319 } };
    expect(plain(cancelNowText(all, 60, { priceCents: 85_000, inParts: true }))).toBe(
      "Le délai d'annulation gratuite est passé. La coopérative garde 60 % du prix du service (510,00 $), au plus ce que vous avez payé : elle garde les 293,19 $ payés (255,00 $ + TPS 12,75 $ + TVQ 25,44 $) ; rien n'est remboursé. Le solde n'est plus dû : il ne sera pas prélevé.");
    const some = { paidCents: 29_319, refundCents: 9_773, kept: { serviceCents: 17_000, gstCents: 850, qstCents: 1_696, totalCents: 19_546 } };
    expect(plain(cancelNowText(some, 20, { priceCents: 85_000, inParts: true }))).toBe(
      "Le délai d'annulation gratuite est passé. Sur les 293,19 $ payés, la coopérative garde 20 % du prix du service avec ses taxes, soit 195,46 $ (170,00 $ + TPS 8,50 $ + TVQ 16,96 $) ; 97,73 $ vous sont remboursés. Le solde n'est plus dû : il ne sera pas prélevé.");
  });
});

// A late cancellation from the web form, left without a reason: the receipt showed Tissu's English
// record ("Cancelled by the client") on a French page, under "Annulation par le client".
describe("a refund's reason", () => {
  it("is Tissu's own in the reader's words", () => {
    expect(refundReason({ kind: 'steward', reason: 'Cancelled by the client' })).toBe('Annulée par le client');
    expect(refundReason({ kind: 'coop_cancellation', reason: 'series ended' })).toBe('Fin des visites régulières');
    overwriteGetLocale(() => 'en');
    expect(refundReason({ kind: 'steward', reason: 'Cancelled by the co-op' })).toBe('Cancelled by the co-op');
    overwriteGetLocale(() => 'fr');
  });
  it('is left out when it only restates the kind of refund', () => {
    expect(refundReason({ kind: 'client_cancellation', reason: 'Cancelled by the client' })).toBeNull();
    expect(refundReason({ kind: 'coop_cancellation', reason: 'Cancelled by the co-op' })).toBeNull();
  });
  it("is a person's as typed, and nothing when none", () => {
    expect(refundReason({ kind: 'client_cancellation', reason: 'Cancelled by the client, sorry' })).toBe('Cancelled by the client, sorry');
    expect(refundReason({ kind: 'client_cancellation', reason: '' })).toBeNull();
  });
});

describe("the receipt of a move paid in two parts, cancelled late after its deposit", () => {
  const part = (p: 'deposit' | 'balance', status: 'paid' | 'not_owed', serviceCents: number, platformFeeCents: number) => ({
    part: p, status, serviceCents, gstCents: 0, qstCents: 0, totalCents: serviceCents, platformFeeCents, refundedCents: 0, paidAt: null, receiptNumber: null, lastError: null,
  });
  const whole = { serviceCents: 41_499, gstCents: 0, qstCents: 0, totalCents: 41_499, feeRateBps: 500, platformFeeCents: 2_075, coopCents: 39_424 };

  it('totals what was taken (the deposit), split as the ledger holds it, not the whole price', () => {
    const shown = receiptBreakdown({ breakdown: whole, installments: [part('deposit', 'paid', 10_375, 519), part('balance', 'not_owed', 31_124, 1_556)] });
    expect(shown).toMatchObject({ serviceCents: 10_375, totalCents: 10_375, platformFeeCents: 519, coopCents: 9_856 });
    expect(breakdownSplit(shown)).toContain('98,56');
  });

  it('is the whole price while the balance is still owed or paid', () => {
    expect(receiptBreakdown({ breakdown: whole, installments: [part('deposit', 'paid', 10_375, 519), part('balance', 'paid', 31_124, 1_556)] })).toBe(whole);
  });
});
