import { describe, expect, it } from 'vitest';
import { bookingsCsv, paymentsCsv } from './csv.js';
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
    expect(line.endsWith(';123,45;12345')).toBe(true);
  });

  it('in English: "," and a decimal point; refunds on lines of their own', () => {
    const payments = [{ id: 'p1', bookingId: 'b1', coopName: 'Coop', status: 'partially_refunded', receiptNumber: 'TIS-2026-1', paidAt: '2026-03-01T12:00:00.000Z', createdAt: '2026-03-01T11:00:00.000Z',
      serviceCents: 10_000, gstCents: 500, qstCents: 998, totalCents: 11_498, refundedCents: 5_749,
      refunds: [{ bookingId: 'b1', kind: 'late_cancellation', createdAt: '2026-03-02T00:00:00.000Z', reason: 'x', serviceCents: 5_000, gstCents: 250, qstCents: 499, totalCents: 5_749 }] }];
    const lines = paymentsCsv(person({ payments }), 'en').split('\r\n');
    expect(lines[1]).toBe('payment,p1,b1,Coop,partially_refunded,TIS-2026-1,2026-03-01T12:00:00.000Z,,100.00,10000,5.00,500,9.98,998,114.98,11498,57.49,5749');
    expect(lines[2]).toBe('refund,p1,b1,Coop,late_cancellation,,2026-03-02T00:00:00.000Z,x,50.00,5000,2.50,250,4.99,499,57.49,5749,,');
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
