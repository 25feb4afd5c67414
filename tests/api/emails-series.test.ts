/**
 * What the emails about regular visits say, to each side: when the visits end, a member added to
 * the team, a date that cannot be a visit (the client chooses, the co-op is told she was asked),
 * and a visit not paid by its deadline (cancelled, not "a request expired"). Counted per recipient
 * and subject: the order of sentMail() is not the order things happened.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookingPayments } from '../../server/src/flows/booking-payments.js';
import { createTestApp, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, onboardCoop, publishListing, setSchedule } from '../support/fixtures.js';

let t: TestApp;
let steward: SignedIn, admin: SignedIn, worker: SignedIn, worker2: SignedIn, client: SignedIn, regular: SignedIn;
let coopId: string, weekly: string;

const TORONTO = 'America/Toronto';
const at = (date: string, time = '09:00') => DateTime.fromISO(`${date}T${time}`, { zone: TORONTO }).toUTC().toISO()!;
const monday = (weeks: number) => DateTime.now().setZone(TORONTO).startOf('week').plus({ weeks }).toISODate()!;
const tuesday = (weeks: number) => DateTime.fromISO(monday(weeks)).plus({ days: 1 }).toISODate()!;
const squeeze = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

const inject = (method: 'GET' | 'POST' | 'PUT', url: string, who: SignedIn | null, payload?: object) =>
  t.app.inject({ method, url, headers: who?.auth ?? {}, ...(payload ? { payload } : {}) });
const body = (startsAt: string, over: Record<string, unknown> = {}) => ({
  listingId: weekly, startsAt, frequency: 'weekly', address: '4321 rue Saint-Denis', contactName: 'Claire Cliente',
  contactEmail: 'claire@example.org', ...over,
});
const create = async (startsAt: string, over: Record<string, unknown> = {}, who = client) => {
  const res = await inject('POST', '/series', who, body(startsAt, over));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
};
/** The emails about a series to one person whose subject matches. */
const mailsAbout = async (seriesId: string, who: SignedIn, subject: RegExp) =>
  (await t.sentMail()).filter((m) => m.to === who.email && m.text.includes(`/series/${seriesId}`) && subject.test(m.subject));
const one = async (seriesId: string, who: SignedIn, subject: RegExp) => {
  const found = await mailsAbout(seriesId, who, subject);
  expect(found.map((m) => m.subject), `${who.email} ${subject}`).toHaveLength(1);
  return { ...found[0]!, text: squeeze(found[0]!.text) };
};

beforeAll(async () => {
  t = await createTestApp();
  steward = await signUp(t.app);
  admin = await signUp(t.app, { locale: 'en' });
  worker = await signUp(t.app, { locale: 'fr' });
  worker2 = await signUp(t.app, { locale: 'en' });
  client = await signUp(t.app, { locale: 'fr' });
  // Another client for the series the team, the gap and the lapse are about (a client has at most two running).
  regular = await signUp(t.app, { locale: 'fr' });
  await makeSteward(t, steward.userId);
  coopId = (await approvedCoop(t, steward, admin, 'Ménage Éclat')).id;
  await onboardCoop(t, admin, coopId);
  await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coopId}, ${worker.userId}, 'worker'), (${coopId}, ${worker2.userId}, 'worker')`;
  weekly = (await publishListing(t, admin, coopId, { priceKind: 'fixed', priceCents: 12_000, durationMinutes: 180, locationMode: 'client_place' })).id;
  await setSchedule(t, admin, weekly, {
    weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })),
    horizonDays: 366, minNoticeMinutes: 0, seriesFrequencies: ['weekly'],
  });
}, 120_000);
afterAll(() => t.close());

describe('when the visits end', () => {
  it('the request, the "request sent" and the confirmation give the last date and the number of visits, in each language', async () => {
    const s = await create(at(monday(3)), { count: 4 });
    const last = DateTime.fromISO(monday(3)).plus({ weeks: 3 });
    const fr = `jusqu’au ${last.setLocale('fr-CA').toFormat('d LLLL yyyy')} (4 visites)`;
    const en = `until ${last.setLocale('en-CA').toFormat('LLLL d, yyyy')} (4 visits)`;
    expect((await one(s.id, admin, /^Regular visits requested/)).text).toContain(en);
    expect((await one(s.id, client, /^Demande de visites régulières envoyée/)).text).toContain(fr);
    expect((await inject('POST', `/series/${s.id}/accept`, admin, {})).statusCode).toBe(200);
    expect((await one(s.id, client, /^Visites régulières confirmées/)).text).toContain(fr);
  });

  it('a series with no end says so', async () => {
    const s = await create(at(monday(3), '14:00'));
    expect((await one(s.id, admin, /^Regular visits requested/)).text).toContain(', with no end date.');
    expect((await one(s.id, client, /^Demande de visites régulières envoyée/)).text).toContain(', sans date de fin, a été envoyée');
  });

  it('a change and a resume say it too', async () => {
    const other = await signUp(t.app, { locale: 'fr' });
    const wednesday = (weeks: number) => DateTime.fromISO(monday(weeks)).plus({ days: 2 }).toISODate()!;
    const s = await create(at(wednesday(4), '08:00'), { count: 3 }, other);
    expect((await inject('POST', `/series/${s.id}/accept`, admin, {})).statusCode).toBe(200);
    expect((await inject('POST', `/series/${s.id}/change`, other, { from: wednesday(5), time: '09:00' })).statusCode).toBe(200);
    const last = DateTime.fromISO(wednesday(4)).plus({ weeks: 2 }).setLocale('fr-CA').toFormat('d LLLL yyyy');
    expect((await one(s.id, other, /^Visites régulières modifiées/)).text).toContain(`, jusqu’au ${last}.`);
    expect((await inject('POST', `/series/${s.id}/pause`, other, { from: wednesday(5) })).statusCode).toBe(200);
    expect((await inject('POST', `/series/${s.id}/resume`, other, { from: wednesday(6) })).statusCode).toBe(200);
    expect((await one(s.id, other, /^Visites régulières reprises/)).text).toContain(`, jusqu’au ${last}.`);
  });
});

let seriesId: string;

describe('the team', () => {
  it('each member newly added is told once, with the series page she can open', async () => {
    seriesId = (await create(at(tuesday(2), '11:00'), { count: 6 }, regular)).id;
    expect((await inject('POST', `/series/${seriesId}/accept`, admin, {})).statusCode).toBe(200);
    expect((await inject('PUT', `/series/${seriesId}/workers`, admin, { userIds: [worker.userId] })).statusCode).toBe(200);
    expect((await inject('PUT', `/series/${seriesId}/workers`, admin, { userIds: [worker.userId, worker2.userId] })).statusCode).toBe(200);
    const first = await one(seriesId, worker, /^Vous êtes dans l’équipe des visites régulières/);
    expect(first.text).toMatch(/vous confie .* chez .*, chaque semaine, le mardi à 11 h 00, à partir du \d+ \S+ \d{4}, jusqu’au /);
    const second = await one(seriesId, worker2, /^You are on the team for regular visits/);
    expect(second.text).toContain('every week on Tuesday at 11:00 a.m.');
    // The link opens for her: she is on the team now.
    const link = second.text.match(/https?:\/\/\S+\/series\/([0-9a-f-]{36})/)!;
    expect(link[1]).toBe(seriesId);
    expect((await inject('GET', `/series/${seriesId}`, worker2)).statusCode).toBe(200);
    // The admin who assigned and the client hear nothing of it.
    expect(await mailsAbout(seriesId, admin, /team/)).toEqual([]);
    expect(await mailsAbout(seriesId, regular, /équipe|team/)).toEqual([]);
  });
});

describe('a date that cannot be a visit', () => {
  it('asks the client to choose; the co-op reads that she was asked', async () => {
    const closed = DateTime.fromISO(tuesday(2)).plus({ weeks: 1 }).toISODate()!;
    const sched = (await inject('GET', `/listings/${weekly}/schedule`, null)).json();
    await setSchedule(t, admin, weekly, { ...sched, listingId: undefined, configured: undefined, exceptions: [...sched.exceptions, { date: closed, kind: 'closed' }] });
    const toClient = await one(seriesId, regular, /^Une visite ne peut pas avoir lieu/);
    expect(toClient.text).toContain('Choisissez de la sauter ou de prendre un autre moment');
    const toCoop = await one(seriesId, admin, /^A visit cannot take place/);
    expect(toCoop.text).not.toMatch(/Choose to skip/);
    expect(toCoop.text).toMatch(/We asked .+ to skip it or to choose another time/);
    // Her choice is told to both sides and the team, with the calendar brought up to date.
    const gap = (await inject('GET', `/series/${seriesId}`, regular)).json().gaps.find((g: { date: string }) => g.date === closed);
    expect(gap.alternatives.length).toBeGreaterThan(0);
    expect((await inject('POST', `/series/${seriesId}/gaps/${closed}`, regular, { action: 'move', startsAt: gap.alternatives[0] })).statusCode).toBe(200);
    const movedToClient = await one(seriesId, regular, /^Visite déplacée/);
    expect(movedToClient.text).toMatch(/aura lieu le \S+ \d+ \S+ \d{4} à \d+ h \d{2}/);
    expect(movedToClient.attachments?.map((a) => a.filename)).toEqual(['visites.ics']);
    expect((await one(seriesId, admin, /^Visit moved/)).text).toContain('will take place on');
  });
});

describe('a visit not paid by its deadline', () => {
  it('is cancelled for want of payment to the client (with the series), and because the client did not pay to the co-op and the team', async () => {
    const [v] = await t.database.sql<{ id: string; starts_at: string }[]>`
      SELECT id, starts_at FROM bookings WHERE series_id = ${seriesId} AND state = 'accepted' ORDER BY starts_at LIMIT 1`;
    await t.database.sql`UPDATE bookings SET expires_at = now() - interval '1 minute' WHERE id = ${v!.id}`;
    await createBookingPayments({ db: t.db, gateway: t.app.payments, paymentWindowHours: 24 }).expireRequests();
    const about = (await t.sentMail()).filter((m) => m.text.includes(`/bookings/${v!.id}`));
    const count = (who: SignedIn, subject: RegExp) => about.filter((m) => m.to === who.email && subject.test(m.subject)).length;
    expect(about.filter((m) => /expir/i.test(m.subject))).toEqual([]);
    expect(count(regular, /^Annulée faute de paiement : /)).toBe(1);
    expect(count(admin, /^Cancelled, the client did not pay: /)).toBe(1);
    expect(count(worker, /^Annulée, le client n’a pas payé : /)).toBe(1);
    expect(count(worker2, /^Cancelled, the client did not pay: /)).toBe(1);
    const toClient = squeeze(about.find((m) => m.to === regular.email)!.text);
    expect(toClient).toMatch(/La visite d.+ le [a-z]+ \d+ \S+ \d{4} à 11 h 00 est annulée : elle n’a pas été payée avant le /);
    expect(toClient).toContain(`/series/${seriesId}`);
  });
});
