import { makeSteward, signUp, type SignedIn, type TestApp } from './test-app.js';
import { approvedCoop, hourFromNow, onboardCoop, publishListing, setSchedule } from './fixtures.js';
import { paymentsKit } from './payments.js';
import { firstOfThisMonth, patronageKit, torontoDate, type testClock } from './patronage.js';

/**
 * A year of business through the API, hand-checkable:
 *   co-op A "Ménage Éclat" (GST/QST registered), fixed 100.00 $: a client pays 114.98 $
 *     (GST 5.00, QST 9.975 % of 100 = 9.975 → 9.98); fee 5.00 $.
 *   co-op B "Garde Soleil" (not registered), fixed 80.00 $; fee 4.00 $. B leaves the platform co-op
 *     between its two bookings, so only the first counts for it.
 *   co-op C "Coop Voisine" is on the platform but not a member, fixed 50.00 $; fee 2.50 $.
 *   Members: A, B (producers); w1 (works at A), w2 (works at B) (workers); u1, u2 (users); s1
 *   (supporting). w3 works at A and u3 books, but neither is a member.
 *
 *   #  co-op  client  workers (minutes)   completed
 *   1  A      u1      w1 60, w3 60        yes
 *   2  A      u1      w1 90               yes, then a 20.00 $ refund of service (23.00 $ with taxes)
 *   3  A      u3      w1 60               yes
 *   4  A      u1      —                   no (paid only)
 *   5  B      u2      w2 120              yes
 *   6  B      u1      w2 45               yes, after B left
 *   7  C      u2      —                   yes
 *
 * Expected patronage: A 10 000 + 8 000 + 10 000 = 28 000 ¢; B 8 000 ¢; w1 210 min; w2 165 min;
 * u1 11 498 + (11 498 − 2 300) + 8 000 = 28 696 ¢; u2 8 000 + 5 000 = 13 000 ¢.
 * Fees: A 4 × 500 − 100 refunded, B 2 × 400, C 250 → 2 950 ¢ net fee revenue.
 */
export const EXPECTED_MEASURES = { A: 28_000, B: 8_000, w1: 210, w2: 165, u1: 28_696, u2: 13_000 } as const;

export async function patronageWorld(t: TestApp, clock: ReturnType<typeof testClock>) {
  const kit = patronageKit(t);
  const pay = paymentsKit(t);
  const people = await Promise.all(['Steward', 'Admin A', 'Admin B', 'Admin C', 'Wanda', 'Wassim', 'Walter', 'Ulysse', 'Uma', 'Ursule', 'Sophie'].map((name, i) =>
    signUp(t.app, { name, locale: i === 5 ? 'en' : 'fr' })));
  const [steward, adminA, adminB, adminC, w1, w2, w3, u1, u2, u3, s1] = people as [SignedIn, SignedIn, SignedIn, SignedIn, SignedIn, SignedIn, SignedIn, SignedIn, SignedIn, SignedIn, SignedIn];
  await makeSteward(t, steward.userId);

  const coop = async (admin: SignedIn, name: string, priceCents: number, durationMinutes: number, taxes: boolean) => {
    const id = (await approvedCoop(t, steward, admin, name)).id;
    const stripeAccountId = await onboardCoop(t, admin, id);
    if (taxes) await pay.setTaxes(admin, id, true);
    const listingId = (await publishListing(t, admin, id, { priceKind: 'fixed', priceCents, durationMinutes })).id;
    await setSchedule(t, admin, listingId);
    return { id, listingId, stripeAccountId };
  };
  const A = await coop(adminA, 'Ménage Éclat', 10_000, 60, true);
  const B = await coop(adminB, 'Garde Soleil', 8_000, 120, false);
  const C = await coop(adminC, 'Coop Voisine', 5_000, 60, false);
  await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${A.id}, ${w1.userId}, 'worker'), (${A.id}, ${w3.userId}, 'worker'), (${B.id}, ${w2.userId}, 'worker')`;

  const startsOn = firstOfThisMonth();
  const year = await kit.ok('POST', '/steward/fiscal-years', steward, { startsOn }, 201);
  const m = {
    A: await kit.join(steward, { class: 'producer', coopId: A.id, startedOn: startsOn }),
    B: await kit.join(steward, { class: 'producer', coopId: B.id, startedOn: startsOn }),
    w1: await kit.join(steward, { class: 'worker', userId: w1.userId, startedOn: startsOn }),
    w2: await kit.join(steward, { class: 'worker', userId: w2.userId, startedOn: startsOn }),
    u1: await kit.join(steward, { class: 'user', userId: u1.userId, startedOn: startsOn }),
    u2: await kit.join(steward, { class: 'user', userId: u2.userId, startedOn: startsOn }),
    s1: await kit.join(steward, { class: 'supporting', userId: s1.userId, startedOn: startsOn }),
  };

  const b1 = await kit.completedBooking({ admin: adminA, client: u1, listingId: A.listingId, hoursAhead: 20, workers: [{ who: w1, minutes: 60 }, { who: w3, minutes: 60 }] });
  const b2 = await kit.completedBooking({ admin: adminA, client: u1, listingId: A.listingId, hoursAhead: 40, workers: [{ who: w1, minutes: 90 }] });
  await kit.completedBooking({ admin: adminA, client: u3, listingId: A.listingId, hoursAhead: 50, workers: [{ who: w1, minutes: 60 }] });
  await kit.completedBooking({ admin: adminA, client: u1, listingId: A.listingId, hoursAhead: 60, complete: false });
  await kit.completedBooking({ admin: adminB, client: u2, listingId: B.listingId, hoursAhead: 30, workers: [{ who: w2, minutes: 120 }] });
  await kit.completedBooking({ admin: adminB, client: u1, listingId: B.listingId, hoursAhead: 100, workers: [{ who: w2, minutes: 45 }] });
  await kit.completedBooking({ admin: adminC, client: u2, listingId: C.listingId, hoursAhead: 45 });
  await kit.ok('POST', `/bookings/${b2.id}/refunds`, steward, { serviceCents: 2_000, reason: 'Service incomplet : geste de la coopérative' }, 201);
  await pay.chargeDetailsRecorded();

  // B leaves between its bookings at +30 h and +100 h: the day of +70 h is its first day out.
  clock.set(new Date(Date.now() + 6 * 86_400_000));
  await kit.ok('POST', `/steward/memberships/${m.B.id}/end`, steward, { endedOn: torontoDate(hourFromNow(70)) });
  clock.reset();

  return { kit, pay, steward, adminA, adminB, adminC, w1, w2, w3, u1, u2, u3, s1, A, B, C, m, year: year as { id: number; startsOn: string; endsOn: string }, b1, b2 };
}

export type PatronageWorld = Awaited<ReturnType<typeof patronageWorld>>;

/** Largest remainder over exact integers, ties to the larger weight then the lower index: an independent oracle for the tests. */
export function largestRemainder(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const parts = weights.map((w) => Math.floor((total * w) / sum));
  const order = weights.map((w, i) => ({ i, w, r: (total * w) % sum })).sort((a, b) => b.r - a.r || b.w - a.w || a.i - b.i);
  let left = total - parts.reduce((s, p) => s + p, 0);
  for (const { i } of order) if (left-- > 0) parts[i]! += 1;
  return parts;
}
