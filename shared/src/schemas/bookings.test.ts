/** What a client may type as a contact phone when booking: the co-op must be able to call it. */
import { describe, expect, it } from 'vitest';
import { CreateBookingBody } from './bookings.js';

const phoneCodes = (contactPhone: string) => {
  const r = CreateBookingBody.safeParse({ listingId: '00000000-0000-4000-8000-000000000000', startsAt: '2027-03-15T13:00:00.000Z', contactName: 'Amina', contactPhone });
  return r.success ? [] : r.error.issues.filter((i) => i.path[0] === 'contactPhone').map((i) => i.message);
};

describe('a contact phone', () => {
  it('is optional, and taken as people write it', () => {
    for (const ok of ['', '514 555-0123', '(438) 555-0199', '+1 514.555.0123', '5145550123 poste 12', '+33 1 23 45 67 89', '514-555-0123 ext. 4']) {
      expect([ok, phoneCodes(ok)]).toEqual([ok, []]);
    }
  });

  it('is refused when it is not a number someone can dial', () => {
    for (const bad of ['abc', '555-01', '514 555 abcd', '1234567890123456', '☎️☎️☎️☎️☎️☎️☎️', '514-555-0123; DROP TABLE']) {
      expect([bad, phoneCodes(bad)]).toEqual([bad, ['invalid_phone']]);
    }
  });
});
