/**
 * Saved addresses (issue 16): a client keeps hers with their entry notes, only she reads or
 * changes them; a booking copies the address and notes when it is made, so changing or deleting
 * the saved one changes no booking; the co-op's admins and the assigned workers read the entry
 * notes until ENTRY_NOTES_VISIBLE_DAYS after the visit, a worker not on it reads nothing. Her
 * archive holds them; deleting her account erases them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_NOTES_KEPT_DAYS, ENTRY_NOTES_VISIBLE_DAYS, MAX_SAVED_ADDRESSES } from '@tissu/shared';
import { purgeExpired } from '../../server/src/modules/privacy/index.js';
import { gatherPersonData } from '../../server/src/modules/data-export/gather.js';
import { PASSWORD } from '../support/authz-world.js';
import { createTestApp, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, bookingBody, onboardCoop, publishListing, setSchedule } from '../support/fixtures.js';

let t: TestApp;
let admin: SignedIn, worker: SignedIn, otherWorker: SignedIn, client: SignedIn, stranger: SignedIn;
let coopId: string, listingId: string;
const DAY = 86_400_000;
let hoursAhead = 30;

const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, who: SignedIn | null, payload?: object) =>
  t.app.inject({ method, url, headers: who?.auth ?? {}, ...(payload ? { payload } : {}) });
async function ok(method: 'POST' | 'PUT' | 'PATCH', url: string, who: SignedIn, payload: object) {
  const res = await call(method, url, who, payload);
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
}
const home = { label: 'Maison', street: '1234 rue Rachel Est', unit: 'app. 3', city: 'Montréal', postalCode: 'h2j 2j3', entryNotes: 'Code 4321#, chat craintif, stationnement dans la ruelle' };
const nextSlot = () => new Date(Math.ceil(Date.now() / 3_600_000 + (hoursAhead += 3)) * 3_600_000).toISOString();

async function book(who: SignedIn, over: Record<string, unknown>) {
  const res = await call('POST', '/bookings', who, bookingBody(listingId, nextSlot(), { address: '', notes: '', ...over }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; address: string; entryNotes: string };
}
/** Accepted, the worker on it, and moved so it ended `endedDaysAgo` days ago. */
async function visitEnded(id: string, endedDaysAgo: number) {
  await ok('POST', `/bookings/${id}/accept`, admin, {});
  await ok('PUT', `/bookings/${id}/workers`, admin, { userIds: [worker.userId] });
  const end = new Date(Date.now() - endedDaysAgo * DAY).toISOString();
  await t.database.sql`
    UPDATE bookings SET ends_at = ${end}::timestamptz, starts_at = ${end}::timestamptz - (ends_at - starts_at),
      blocked_until = ${end}::timestamptz + (blocked_until - ends_at)
    WHERE id = ${id}`;
}

beforeAll(async () => {
  t = await createTestApp();
  const steward = await signUp(t.app);
  [admin, worker, otherWorker, client, stranger] = [
    await signUp(t.app), await signUp(t.app, { name: 'Wanda Travailleuse' }), await signUp(t.app), await signUp(t.app, { name: 'Claire Cliente' }), await signUp(t.app),
  ];
  await makeSteward(t, steward.userId);
  coopId = (await approvedCoop(t, steward, admin)).id;
  await onboardCoop(t, admin, coopId);
  await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coopId}, ${worker.userId}, 'worker'), (${coopId}, ${otherWorker.userId}, 'worker')`;
  listingId = (await publishListing(t, admin, coopId)).id;
  await setSchedule(t, admin, listingId, { horizonDays: 60 });
}, 120_000);
afterAll(() => t?.close());

describe('her saved addresses', () => {
  it('are saved, listed, changed and removed by her alone; another person’s answer 404', async () => {
    const saved = await ok('POST', '/me/addresses', client, home);
    expect(saved).toMatchObject({ label: 'Maison', postalCode: 'H2J 2J3', text: '1234 rue Rachel Est, app. 3, Montréal H2J 2J3', entryNotes: home.entryNotes, lastUsedAt: null });
    const list = (await call('GET', '/me/addresses', client)).json();
    expect(list.items.map((a: { id: string }) => a.id)).toContain(saved.id);
    expect(list.max).toBe(MAX_SAVED_ADDRESSES);
    // The stranger sees none of hers, and cannot touch it: the same 404 as an address that does not exist.
    expect((await call('GET', '/me/addresses', stranger)).json().items).toEqual([]);
    for (const [method, payload] of [['PATCH', { label: 'À moi' }], ['DELETE', undefined]] as const) {
      const res = await call(method, `/me/addresses/${saved.id}`, stranger, payload);
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    expect((await call('PATCH', `/me/addresses/${crypto.randomUUID()}`, client, { label: 'x' })).statusCode).toBe(404);
    const changed = await ok('PATCH', `/me/addresses/${saved.id}`, client, { unit: '', entryNotes: 'Nouveau code 9999' });
    expect(changed).toMatchObject({ label: 'Maison', unit: '', text: '1234 rue Rachel Est, Montréal H2J 2J3', entryNotes: 'Nouveau code 9999' });
    // A field left out stays as it is.
    expect(await ok('PATCH', `/me/addresses/${saved.id}`, client, { label: 'Maison principale' })).toMatchObject({ label: 'Maison principale', entryNotes: 'Nouveau code 9999', city: 'Montréal' });
    expect((await call('DELETE', `/me/addresses/${saved.id}`, client)).statusCode).toBe(200);
    expect((await call('GET', '/me/addresses', client)).json().items.find((a: { id: string }) => a.id === saved.id)).toBeUndefined();
    expect((await call('DELETE', `/me/addresses/${saved.id}`, client)).statusCode).toBe(404);
    expect((await call('GET', '/me/addresses', null)).statusCode).toBe(401);
  });

  it('refuses bad input field by field, and an eleventh address', async () => {
    const res = await call('POST', '/me/addresses', client, { label: '', street: ' ', city: 'Montréal', postalCode: '12345', entryNotes: 'x'.repeat(1001) });
    expect(res.statusCode).toBe(400);
    const fields = res.json().error.fields;
    expect(fields.label[0].code).toBe('required');
    expect(fields.street[0].code).toBe('required');
    expect(fields.postalCode[0].code).toBe('invalid_postal_code');
    expect(fields.entryNotes[0].code).toBe('too_long');
    const patch = await call('PATCH', `/me/addresses/${(await ok('POST', '/me/addresses', stranger, home)).id}`, stranger, {});
    expect(patch.statusCode).toBe(400);
    expect(patch.json().error.fields.label[0].code).toBe('nothing_to_change');
    // Loose postal codes are read as A1A 1A1.
    for (const pc of ['H2X1Y4', 'h2x-1y4', ' h2x  1y4 ']) expect((await ok('PATCH', `/me/addresses/${(await call('GET', '/me/addresses', stranger)).json().items[0].id}`, stranger, { postalCode: pc })).postalCode).toBe('H2X 1Y4');
    const many = await signUp(t.app);
    const all = await Promise.all(Array.from({ length: MAX_SAVED_ADDRESSES + 2 }, (_, i) => call('POST', '/me/addresses', many, { ...home, label: `Adresse ${i}` })));
    expect(all.filter((r) => r.statusCode === 201)).toHaveLength(MAX_SAVED_ADDRESSES);
    const refused = all.filter((r) => r.statusCode !== 201);
    expect(refused.map((r) => [r.statusCode, r.json().error.code])).toEqual([[409, 'too_many_addresses'], [409, 'too_many_addresses']]);
  });
});

describe('a booking made with a saved address', () => {
  it('copies the address and entry notes; changing or deleting the saved one changes no booking', async () => {
    const saved = await ok('POST', '/me/addresses', client, { ...home, label: 'Chalet' });
    const b = await book(client, { addressId: saved.id });
    expect(b.address).toBe('1234 rue Rachel Est, app. 3, Montréal H2J 2J3');
    expect(b.entryNotes).toBe(home.entryNotes);
    expect((await call('GET', '/me/addresses', client)).json().items[0]).toMatchObject({ id: saved.id, lastUsedAt: expect.any(String) });
    await ok('PATCH', `/me/addresses/${saved.id}`, client, { street: '1 avenue Ailleurs', entryNotes: 'Autre code' });
    let again = (await call('GET', `/bookings/${b.id}`, client)).json();
    expect([again.address, again.entryNotes]).toEqual([b.address, home.entryNotes]);
    expect((await call('DELETE', `/me/addresses/${saved.id}`, client)).statusCode).toBe(200);
    again = (await call('GET', `/bookings/${b.id}`, client)).json();
    expect([again.address, again.entryNotes]).toEqual([b.address, home.entryNotes]);
  });

  it('a new address typed at booking is saved when she asks, and not otherwise', async () => {
    const someone = await signUp(t.app);
    const b = await book(someone, { newAddress: { ...home, label: '' }, saveAddress: true });
    expect([b.address, b.entryNotes]).toEqual(['1234 rue Rachel Est, app. 3, Montréal H2J 2J3', home.entryNotes]);
    const items = (await call('GET', '/me/addresses', someone)).json().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ label: '1234 rue Rachel Est', entryNotes: home.entryNotes, lastUsedAt: expect.any(String) });
    await book(someone, { newAddress: { ...home, street: '9 rue Non Gardée' }, saveAddress: false });
    expect((await call('GET', '/me/addresses', someone)).json().items).toHaveLength(1);
    // The same address typed again (other case and spaces) is the one she has, not a second copy;
    // its entry notes become the new ones.
    await book(someone, { newAddress: { ...home, street: ' 1234  RUE Rachel est ', label: '', entryNotes: 'Code 4321' }, saveAddress: true });
    const after = (await call('GET', '/me/addresses', someone)).json().items;
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: items[0].id, entryNotes: 'Code 4321' });
  });

  it('a full address book never costs her the booking: booked at the typed address, not saved', async () => {
    const full = await signUp(t.app);
    for (let i = 0; i < MAX_SAVED_ADDRESSES; i++) await ok('POST', '/me/addresses', full, { ...home, label: `Adresse ${i}` });
    const b = await book(full, { newAddress: { ...home, street: '77 rue Pleine', label: '' }, saveAddress: true });
    expect(b.address).toContain('77 rue Pleine');
    expect((await call('GET', '/me/addresses', full)).json().items).toHaveLength(MAX_SAVED_ADDRESSES);
  });

  it("another person's address, or a bad new one, is refused field by field and nothing is booked", async () => {
    const theirs = await ok('POST', '/me/addresses', stranger, { ...home, label: 'Chez moi' });
    const bookingsOf = async () => (await t.database.sql`SELECT count(*)::int AS n FROM bookings WHERE client_id = ${client.userId}`)[0]!.n as number;
    const before = await bookingsOf();
    let res = await call('POST', '/bookings', client, bookingBody(listingId, nextSlot(), { addressId: theirs.id }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.addressId[0].code).toBe('unknown_address');
    res = await call('POST', '/bookings', client, bookingBody(listingId, nextSlot(), { newAddress: { ...home, postalCode: 'ZZZ' }, saveAddress: true }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields['newAddress.postalCode'][0].code).toBe('invalid_postal_code');
    expect(await bookingsOf()).toBe(before);
  });
});

describe('who reads the entry notes', () => {
  it(`the co-op's admins and the assigned worker until ${ENTRY_NOTES_VISIBLE_DAYS} days after the visit; then only the client; never a worker not on it`, async () => {
    const client = await signUp(t.app);
    const saved = await ok('POST', '/me/addresses', client, { ...home, label: 'Visites' });
    const recent = await book(client, { addressId: saved.id });
    const old = await book(client, { addressId: saved.id });
    await visitEnded(recent.id, ENTRY_NOTES_VISIBLE_DAYS - 1);
    await visitEnded(old.id, ENTRY_NOTES_VISIBLE_DAYS + 1);
    const read = async (who: SignedIn, id: string) => {
      const res = await call('GET', `/bookings/${id}`, who);
      return res.statusCode === 200 ? { address: res.json().address, entryNotes: res.json().entryNotes } : res.statusCode;
    };
    const address = '1234 rue Rachel Est, app. 3, Montréal H2J 2J3';
    for (const who of [admin, worker, client]) expect(await read(who, recent.id)).toEqual({ address, entryNotes: home.entryNotes });
    expect(await read(admin, old.id)).toEqual({ address, entryNotes: '' });
    expect(await read(worker, old.id)).toEqual({ address, entryNotes: '' });
    expect(await read(client, old.id)).toEqual({ address, entryNotes: home.entryNotes });
    // A worker of the co-op not assigned to it, and an outsider, learn nothing of either.
    for (const who of [otherWorker, stranger]) {
      expect(await read(who, recent.id)).toBe(404);
      expect(await read(who, old.id)).toBe(404);
    }
    // The lists say the same: the co-op's inbox, and the worker's "Mes visites".
    const inbox = (await call('GET', `/bookings?as=coop&coopId=${coopId}&scope=past`, admin)).json().items as { id: string; entryNotes: string }[];
    expect(inbox.find((b) => b.id === recent.id)?.entryNotes).toBe(home.entryNotes);
    expect(inbox.find((b) => b.id === old.id)?.entryNotes).toBe('');
    const visits = (await call('GET', '/me/visits?when=past', worker)).json().items as { bookingId: string; entryNotes: string | null }[];
    expect(visits.find((v) => v.bookingId === recent.id)?.entryNotes).toBe(home.entryNotes);
    expect(visits.find((v) => v.bookingId === old.id)?.entryNotes).toBeNull();
    expect(((await call('GET', '/me/visits?when=past', otherWorker)).json().items as { bookingId: string }[]).map((v) => v.bookingId)).not.toContain(recent.id);
  });

  it(`the retention job erases a booking's entry notes ${ENTRY_NOTES_KEPT_DAYS} days after the visit, and keeps the address`, async () => {
    const client = await signUp(t.app);
    const kept = await book(client, { newAddress: home });
    const gone = await book(client, { newAddress: home });
    await visitEnded(kept.id, ENTRY_NOTES_KEPT_DAYS - 1);
    await visitEnded(gone.id, ENTRY_NOTES_KEPT_DAYS + 1);
    const r = await purgeExpired(t.db, new Date());
    expect(r.entryNotes).toBeGreaterThanOrEqual(1);
    const rows = await t.database.sql`SELECT id, address, entry_notes FROM bookings WHERE id IN (${kept.id}, ${gone.id})`;
    const byId = Object.fromEntries(rows.map((x) => [x.id, x]));
    expect(byId[kept.id]!.entry_notes).toBe(home.entryNotes);
    expect(byId[gone.id]!.entry_notes).toBe('');
    expect(byId[gone.id]!.address).toBe('1234 rue Rachel Est, app. 3, Montréal H2J 2J3');
  });
});

describe('her addresses in her data', () => {
  it('the archive of her data holds them; deleting her account erases them and the entry notes her bookings copied', async () => {
    const someone = await signUp(t.app);
    const saved = await ok('POST', '/me/addresses', someone, { ...home, label: 'Chez Éloïse' });
    const b = await book(someone, { addressId: saved.id });
    const data = await t.db.transaction((tx) => gatherPersonData(tx, someone.userId));
    expect(data!.savedAddresses).toEqual([expect.objectContaining({ id: saved.id, label: 'Chez Éloïse', postalCode: 'H2J 2J3', entryNotes: home.entryNotes })]);
    expect(data!.bookings.find((x) => x.id === b.id)).toMatchObject({ entryNotes: home.entryNotes });
    // A request declined blocks nothing: she may go.
    await ok('POST', `/bookings/${b.id}/decline`, admin, { reason: 'Complet ce jour-là' });
    const res = await call('POST', '/me/delete', someone, { password: PASSWORD, confirmation: 'SUPPRIMER' });
    expect(res.statusCode, res.body).toBe(200);
    const [left] = await t.database.sql`SELECT count(*)::int AS n FROM client_addresses WHERE user_id = ${someone.userId}`;
    expect(left!.n).toBe(0);
    const [kept] = await t.database.sql`SELECT address, entry_notes FROM bookings WHERE id = ${b.id}`;
    expect([kept!.address, kept!.entry_notes]).toEqual(['', '']);
  });
});

describe('regular visits with a saved address', () => {
  it('every visit copies the address and its entry notes; changing the saved one later changes none', async () => {
    const someone = await signUp(t.app);
    const weekly = (await publishListing(t, admin, coopId, { titleFr: 'Ménage chaque semaine', titleEn: 'Weekly cleaning' })).id;
    await setSchedule(t, admin, weekly, { horizonDays: 366, seriesFrequencies: ['weekly'] });
    const saved = await ok('POST', '/me/addresses', someone, { ...home, label: 'Chaque semaine' });
    const d = new Date(Date.now() + 20 * DAY);
    d.setUTCHours(14, 0, 0, 0);
    const made = await ok('POST', '/series', someone, {
      listingId: weekly, startsAt: d.toISOString(), frequency: 'weekly', count: 3, addressId: saved.id, contactName: 'Claire', contactEmail: 'claire@example.org',
    });
    await ok('PATCH', `/me/addresses/${saved.id}`, someone, { entryNotes: 'Autre code', street: '9 rue Ailleurs' });
    const visits = await t.database.sql`SELECT address, entry_notes FROM bookings WHERE series_id = ${made.id} ORDER BY starts_at`;
    expect(visits.length).toBeGreaterThanOrEqual(1);
    for (const v of visits) expect([v.address, v.entry_notes]).toEqual(['1234 rue Rachel Est, app. 3, Montréal H2J 2J3', home.entryNotes]);
    const [series] = await t.database.sql`SELECT entry_notes FROM booking_series WHERE id = ${made.id}`;
    expect(series!.entry_notes).toBe(home.entryNotes);
    // Another person's address is refused, field by field, and no series is made.
    const res = await call('POST', '/series', stranger, {
      listingId: weekly, startsAt: new Date(d.getTime() + 3 * 3_600_000).toISOString(), frequency: 'weekly', count: 3, addressId: saved.id, contactName: 'X', contactEmail: 'x@example.org',
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.fields.addressId[0].code).toBe('unknown_address');
  });
});
