import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, publishListing, setSchedule } from '../support/fixtures.js';

/**
 * Search filters every match on two copies kept on the listing's row by the database (migration
 * 0056): whether its co-op is approved, and until when its special opening hours last. These tests
 * change the sources (the co-op, the schedule, through the API or straight in SQL) and check what
 * search finds, so a copy out of step shows as a listing wrongly found or wrongly hidden.
 */
let t: TestApp;
let admin: SignedIn;
let coopId: string;

beforeAll(async () => {
  t = await createTestApp();
  const steward = await signUp(t.app);
  admin = await signUp(t.app);
  await makeSteward(t, steward.userId);
  coopId = (await approvedCoop(t, steward, admin, 'Coop Drapeaux')).id;
});
afterAll(() => t.close());

async function found(word: string): Promise<string[]> {
  const res = await t.app.inject({ method: 'GET', url: `/listings?q=${encodeURIComponent(word)}` });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: { id: string }[] }).items.map((l) => l.id);
}

/** The calendar date in `zone`, `days` from now, as a schedule writes it. */
function dayIn(zone: string, days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + days * 86_400_000));
}

async function specialHoursOn(listingId: string, zone: string, date: string) {
  await setSchedule(t, admin, listingId, { timeZone: zone, weekly: [], exceptions: [{ date, kind: 'extra', start: '00:00', end: '24:00' }] });
}

/** The API refuses a day already passed; a schedule gets one by time passing, as here. */
async function specialHoursPassed(listingId: string, date: string) {
  await t.database.sql`UPDATE listing_schedules SET exceptions = ${JSON.stringify([{ date, kind: 'extra', start: '00:00', end: '24:00' }])}::jsonb WHERE listing_id = ${listingId}`;
}

describe('special opening hours only, in the listing’s zone', () => {
  // UTC+14 and UTC−11: for most of a UTC day, "today" differs between them.
  for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
    it(`${zone}: found while its day of hours is today or later there, not once it has passed`, async () => {
      const word = `horaire${zone.split('/')[1]!.toLowerCase().replace(/_/g, '')}`;
      const { id } = await publishListing(t, admin, coopId, { titleFr: `Atelier ${word}`, titleEn: `Workshop ${word}` });
      expect(await found(word)).toEqual([]);
      await specialHoursOn(id, zone, dayIn(zone, 0));
      expect(await found(word)).toEqual([id]);
      await specialHoursPassed(id, dayIn(zone, -1));
      expect(await found(word)).toEqual([]);
      await specialHoursOn(id, zone, dayIn(zone, 30));
      expect(await found(word)).toEqual([id]);
      // The schedule removed (as a cascade or a hand-made fix would): no hours, not found.
      await t.database.sql`DELETE FROM listing_schedules WHERE listing_id = ${id}`;
      expect(await found(word)).toEqual([]);
    });
  }

  it('a zone change alone moves the end of the last day of hours', async () => {
    const { id } = await publishListing(t, admin, coopId, { titleFr: 'Atelier fuseau', titleEn: 'Workshop zone' });
    // Today in Kiritimati is, for ten hours of each UTC day, already tomorrow in Pago Pago's terms
    // and never yesterday: a date that is today east of the date line.
    await specialHoursOn(id, 'Pacific/Kiritimati', dayIn('Pacific/Kiritimati', 0));
    const until = (await t.database.sql<{ until: Date }[]>`SELECT extra_hours_until AS until FROM listings WHERE id = ${id}`)[0]!.until;
    await t.database.sql`UPDATE listing_schedules SET time_zone = 'Pacific/Pago_Pago' WHERE listing_id = ${id}`;
    const later = (await t.database.sql<{ later: Date }[]>`SELECT extra_hours_until AS later FROM listings WHERE id = ${id}`)[0]!.later;
    // Midnight in UTC−11 comes 25 hours after midnight in UTC+14, for the same date.
    expect(new Date(later).getTime() - new Date(until).getTime()).toBe(25 * 3_600_000);
  });
});

describe('the co-op’s approval', () => {
  it('a co-op no longer approved takes its listings out of search, and back when approved again', async () => {
    const { id } = await publishListing(t, admin, coopId, { titleFr: 'Atelier approbation', titleEn: 'Workshop approval' });
    await setSchedule(t, admin, id);
    expect(await found('approbation')).toEqual([id]);
    await t.database.sql`UPDATE coops SET status = 'rejected' WHERE id = ${coopId}`;
    expect(await found('approbation')).toEqual([]);
    await t.database.sql`UPDATE coops SET status = 'approved' WHERE id = ${coopId}`;
    expect(await found('approbation')).toEqual([id]);
  });

  it('a listing written straight into the table takes its co-op’s approval, whatever it claims', async () => {
    const { id } = await publishListing(t, admin, coopId, { titleFr: 'Atelier gabarit', titleEn: 'Workshop template' });
    const [copy] = await t.database.sql<{ id: string }[]>`
      INSERT INTO listings (coop_id, title_fr, title_en, description_fr, description_en, category, price_kind, price_cents, duration_minutes, location_mode, boroughs, coop_approved)
      SELECT coop_id, 'Atelier importé', 'Imported workshop', description_fr, description_en, category, price_kind, price_cents, duration_minutes, location_mode, boroughs, false
      FROM listings WHERE id = ${id}
      RETURNING id`;
    await setSchedule(t, admin, copy!.id);
    expect(await found('importé')).toEqual([copy!.id]);
    // Written by hand to say otherwise, the copy is put back from the co-op.
    await t.database.sql`UPDATE listings SET coop_approved = false WHERE id = ${copy!.id}`;
    expect(await found('importé')).toEqual([copy!.id]);
  });
});

describe('a zone the database does not know', () => {
  it('is refused beside the field (Node accepts "US/Pacific-New", PostgreSQL does not), and nothing is saved', async () => {
    const { id } = await publishListing(t, admin, coopId, { titleFr: 'Atelier fuseau inconnu', titleEn: 'Workshop unknown zone' });
    const res = await t.app.inject({
      method: 'PUT', url: `/listings/${id}/schedule`, headers: admin.auth,
      payload: { timeZone: 'US/Pacific-New', weekly: [], exceptions: [{ date: dayIn('America/Los_Angeles', 3), kind: 'extra', start: '09:00', end: '12:00' }] },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.fields).toEqual({ timeZone: [expect.objectContaining({ code: 'unknown_time_zone' })] });
    expect(await t.database.sql`SELECT 1 FROM listing_schedules WHERE listing_id = ${id}`).toHaveLength(0);
  });
});
