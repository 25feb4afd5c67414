import { describe, expect, it } from 'vitest';
import { bookingsCsv, paymentsCsv, statementsCsv } from './csv.js';
import { local, plain } from './gather.js';
import type { PersonData } from './gather.js';

const person = (over: Partial<PersonData>): PersonData => ({
  account: {}, sessions: [], signInAddresses: [], emailLinks: [], emailChanges: [], bookings: [], payments: [], savedCard: null, savedAddresses: [], series: [], conversations: [],
  messageReports: [], reviews: [], membership: { memberships: [], capitalMovements: [], patronageStatements: [], applications: [], votes: [] },
  work: { coopRoles: [], visits: [], seriesTeams: [], timeOff: [] }, invitations: [], calendarFeeds: [], dataExports: [], ...over,
} as PersonData);

describe('the archive’s CSVs', () => {
  const booking = {
    id: 'b1', createdAt: '2026-03-01T12:00:00.000Z', state: 'paid', listingTitleFr: 'Ménage « complet »', listingTitleEn: 'Full cleaning', coopName: 'Éclat; coop',
    startsAt: '2026-03-08T14:00:00.000Z', startsAtLocal: '2026-03-08T10:00:00.000-04:00', endsAt: '2026-03-08T15:00:00.000Z', timeZone: 'America/Toronto',
    durationMinutes: 60, address: '12, rue "Haute"\nMontréal', notes: '=HYPERLINK("x")', contactName: 'Zoë', contactPhone: '', contactEmail: 'z@example.org',
    seriesId: null, priceCents: 12_345,
  };

  it('quote as RFC 4180 says, with a BOM and CRLF, in the French convention (";" and a decimal comma, then cents)', () => {
    const csv = bookingsCsv(person({ bookings: [booking] }), 'fr');
    expect(csv.startsWith('\uFEFFRéservation;')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const line = csv.split('\r\n')[1]!;
    expect(line).toContain(';"Éclat; coop";');
    expect(line).toContain(';"12, rue ""Haute""\nMontréal";');
    // A cell a person typed is never a formula to a spreadsheet.
    expect(line).toContain(`;"'=HYPERLINK(""x"")";`);
    expect(line.endsWith(';123,45;12345;2026-03-01T12:00:00.000Z;2026-03-08T14:00:00.000Z;2026-03-08T15:00:00.000Z')).toBe(true);
  });

  it('say states in her language, code beside, and times on Montréal’s clock with the zone in the header', () => {
    const [head, line] = bookingsCsv(person({ bookings: [{ ...booking, coopName: 'Éclat', address: '', notes: '' }] }), 'fr').split('\r\n');
    const cells = (l: string) => l.split(';');
    const at = (name: string) => cells(line!)[cells(head!).indexOf(name)];
    expect(at('État')).toBe('Confirmée');
    expect(at('État (code)')).toBe('paid');
    expect(at('Demandée le (America/Toronto)')).toBe('2026-03-01 07:00');
    // 8 March 2026 is the day clocks go forward: 14:00 UTC is 10:00 in Montréal (EDT), not 09:00.
    expect(at('Début (America/Toronto)')).toBe('2026-03-08 10:00');
    expect(at('Fin (America/Toronto)')).toBe('2026-03-08 11:00');
    expect(head).not.toMatch(/\(UTC\)/);
    const en = bookingsCsv(person({ bookings: [{ ...booking, state: 'cancelled_by_coop' }] }), 'en').split('\r\n')[0]!;
    expect(en).toContain('State,State (code)');
    expect(bookingsCsv(person({ bookings: [{ ...booking, state: 'cancelled_by_coop' }] }), 'en')).toContain(',Cancelled by the co-op,cancelled_by_coop,');
  });

  it('in English: "," and a decimal point; refunds on lines of their own', () => {
    const payments = [{ id: 'p1', bookingId: 'b1', coopName: 'Coop', status: 'partially_refunded', receiptNumber: 'TIS-2026-1', paidAt: '2026-03-01T12:00:00.000Z', createdAt: '2026-03-01T11:00:00.000Z',
      serviceCents: 10_000, gstCents: 500, qstCents: 998, totalCents: 11_498, refundedCents: 5_749,
      refunds: [{ bookingId: 'b1', kind: 'client_cancellation', createdAt: '2026-03-02T00:00:00.000Z', reason: 'x', serviceCents: 5_000, gstCents: 250, qstCents: 499, totalCents: 5_749 }] }];
    const lines = paymentsCsv(person({ payments }), 'en').split('\r\n');
    expect(lines[0]).toContain(',Status,Status (code),Receipt,Date (America/Toronto),');
    expect(lines[1]).toBe('payment,p1,b1,Coop,Partly refunded,partially_refunded,TIS-2026-1,2026-03-01 07:00,,100.00,10000,5.00,500,9.98,998,114.98,11498,57.49,5749,2026-03-01T12:00:00.000Z');
    expect(lines[2]).toBe('refund,p1,b1,Coop,Cancellation by the client,client_cancellation,,2026-03-01 19:00,x,50.00,5000,2.50,250,4.99,499,57.49,5749,,,2026-03-02T00:00:00.000Z');
  });
});

describe('the statements CSV', () => {
  it('names the plan’s status and the member class in words, codes beside', () => {
    const membership = { memberships: [], capitalMovements: [], applications: [], votes: [], patronageStatements: [{
      fiscalYear: '2025', planId: 'pl1', planStatus: 'approved', membershipId: 'm1', memberClass: 'worker', units: 12,
      allocationCents: 3334, cashCents: 1001, retainedCents: 2333, carriedInCents: 0, paidCents: 0, withholdingCents: 0, carriedForwardCents: 0 }] };
    const line = statementsCsv(person({ membership } as Partial<PersonData>), 'fr').split('\r\n')[1]!;
    expect(line.startsWith('2025;pl1;Adopté;approved;m1;Membre travailleur·euse;worker;12;33,34;3334;')).toBe(true);
  });
});

describe('rows as data.json writes them', () => {
  it('camelCase, instants in UTC ISO whatever PostgreSQL wrote, bigints as numbers, no secret column', () => {
    expect(plain({ created_at: '2026-03-08 14:00:00.5+00', ends_at: '2026-03-08 09:00:00-05', amount_cents: 12n, token_hash: 'abc', password_hash: 'x', seed: 's', password_changed_at: new Date('2026-01-01T00:00:00Z'), note: '2026 notes' }))
      .toEqual({ createdAt: '2026-03-08T14:00:00.500Z', endsAt: '2026-03-08T14:00:00.000Z', amountCents: 12, passwordChangedAt: '2026-01-01T00:00:00.000Z', note: '2026 notes' });
  });

  it('writes an instant on the listing’s wall clock, either side of a daylight-saving change', () => {
    expect(local('2026-03-07T15:00:00.000Z', 'America/Toronto')).toBe('2026-03-07T10:00:00.000-05:00');
    expect(local('2026-03-09T14:00:00.000Z', 'America/Toronto')).toBe('2026-03-09T10:00:00.000-04:00');
  });
});
