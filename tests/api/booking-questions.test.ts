import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, bookingBody, hourFromNow, publishListing, setSchedule } from '../support/fixtures.js';

/**
 * A listing's booking questions (issue 16): the co-op's admins set them, a booking must answer the
 * required ones in the right form, the answers are kept as they were asked, and only the people
 * doing the job see them: the client, the co-op's admins and the workers assigned to that booking.
 */
let t: TestApp;
let steward: SignedIn, admin: SignedIn, otherAdmin: SignedIn, amina: SignedIn, bruno: SignedIn, client: SignedIn;
let coopId: string, listingId: string;
let hour = 30;

type Q = { id: string; kind: string; labelFr: string; choices: { key: string; labelFr: string }[] };
let questions: Q[];

const req = (method: 'GET' | 'POST' | 'PUT', url: string, who: SignedIn | null, payload?: object) =>
  t.app.inject({ method, url, headers: who?.auth ?? {}, ...(payload ? { payload } : {}) });

const QUESTIONS = [
  { kind: 'number', labelFr: 'Combien d’étages ?', labelEn: 'How many floors?', required: true, min: 0, max: 10 },
  { kind: 'one_choice', labelFr: 'Type de logement', labelEn: 'Kind of home', required: true, choices: [
    { labelFr: 'Appartement', labelEn: 'Apartment' }, { labelFr: 'Maison', labelEn: 'House' },
  ] },
  { kind: 'several_choices', labelFr: 'Pièces à faire', labelEn: 'Rooms to do', choices: [
    { key: 'cuisine', labelFr: 'Cuisine', labelEn: 'Kitchen' }, { key: 'sdb', labelFr: 'Salle de bain', labelEn: 'Bathroom' }, { key: 'four', labelFr: 'Four', labelEn: 'Oven' },
  ] },
  { kind: 'yes_no', labelFr: 'Des animaux ?', labelEn: 'Any pets?', required: true },
  { kind: 'short_text', labelFr: 'Code de la porte', labelEn: 'Door code', helpFr: 'Si l’immeuble en a un', helpEn: 'If the building has one' },
  { kind: 'long_text', labelFr: 'Autre chose ?', labelEn: 'Anything else?' },
];

beforeAll(async () => {
  t = await createTestApp();
  [steward, admin, otherAdmin, amina, bruno, client] = (await Promise.all([1, 2, 3, 4, 5, 6].map(() => signUp(t.app)))) as SignedIn[] as [SignedIn, SignedIn, SignedIn, SignedIn, SignedIn, SignedIn];
  await makeSteward(t, steward.userId);
  coopId = (await approvedCoop(t, steward, admin, 'Ménage Questions')).id;
  await approvedCoop(t, steward, otherAdmin, 'Autre Coop');
  for (const who of [amina, bruno]) await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coopId}, ${who.userId}, 'worker')`;
  listingId = (await publishListing(t, admin, coopId, { priceKind: 'fixed', priceCents: 9000, durationMinutes: 60 })).id;
  await setSchedule(t, admin, listingId, { capacity: 10 });
  const res = await req('PUT', `/listings/${listingId}/questions`, admin, { questions: QUESTIONS });
  expect(res.statusCode, res.body).toBe(200);
  questions = res.json().items;
});
afterAll(() => t.close());

const goodAnswers = () => [
  { questionId: questions[0]!.id, value: '2' },
  { questionId: questions[1]!.id, value: questions[1]!.choices[1]!.key },
  { questionId: questions[2]!.id, value: ['four', 'cuisine'] },
  { questionId: questions[3]!.id, value: false },
  { questionId: questions[4]!.id, value: ' 4321# ' },
];
const bookingCount = async () => Number((await t.database.sql`SELECT count(*)::int AS n FROM bookings WHERE listing_id = ${listingId}`)[0]!.n);

describe('the questions of a listing', () => {
  it('are set by the co-op\'s admins, in order, with keys for the choices, and shown on the listing to anyone', async () => {
    expect(questions.map((q) => [q.kind, q.labelFr])).toEqual(QUESTIONS.map((q) => [q.kind, q.labelFr]));
    expect(questions[1]!.choices.map((c) => c.key)).toEqual(['c1', 'c2']);
    expect(questions[2]!.choices.map((c) => c.key)).toEqual(['cuisine', 'sdb', 'four']);
    const pub = await req('GET', `/listings/${listingId}`, null);
    expect(pub.statusCode).toBe(200);
    expect(pub.json().questions).toEqual(questions);
    expect(pub.json().questions[4]).toMatchObject({ helpFr: 'Si l’immeuble en a un', required: false, position: 4 });
  });

  it('cannot be changed by a worker, another co-op\'s admin or a client (403), nor signed out (401); an unknown listing is 404', async () => {
    const body = { questions: [] };
    for (const who of [amina, otherAdmin, client]) expect((await req('PUT', `/listings/${listingId}/questions`, who, body)).statusCode).toBe(403);
    expect((await req('PUT', `/listings/${listingId}/questions`, null, body)).statusCode).toBe(401);
    expect((await req('PUT', `/listings/00000000-0000-4000-8000-000000000000/questions`, admin, body)).statusCode).toBe(404);
    expect((await req('GET', `/listings/${listingId}`, null)).json().questions).toHaveLength(QUESTIONS.length);
  });

  it('refuses another listing\'s question id, a choice question without choices, and more than 15 questions, field by field', async () => {
    const other = (await publishListing(t, admin, coopId)).id;
    const stranger = await req('PUT', `/listings/${other}/questions`, admin, { questions: [{ ...QUESTIONS[3], id: questions[3]!.id }] });
    expect(stranger.statusCode).toBe(400);
    expect(errorOf(stranger).fields?.['questions.0.id']?.[0]?.code).toBe('invalid_id');
    const noChoices = await req('PUT', `/listings/${other}/questions`, admin, { questions: [{ kind: 'one_choice', labelFr: 'Lequel ?', labelEn: 'Which?', choices: [] }] });
    expect(noChoices.statusCode).toBe(400);
    expect(errorOf(noChoices).fields?.['questions.0.choices']?.[0]).toMatchObject({ code: 'too_few', minimum: 2 });
    const many = await req('PUT', `/listings/${other}/questions`, admin, { questions: Array.from({ length: 16 }, () => QUESTIONS[3]) });
    expect(many.statusCode).toBe(400);
    expect(errorOf(many).fields?.questions?.[0]).toMatchObject({ code: 'too_many', maximum: 15 });
    expect(await t.database.sql`SELECT 1 FROM listing_questions WHERE listing_id = ${other}`).toHaveLength(0);
  });
});

describe('answers at booking', () => {
  it('refuses a booking missing a required answer, on that question\'s field, and writes nothing', async () => {
    const before = await bookingCount();
    const answers = goodAnswers().filter((a) => a.questionId !== questions[3]!.id);
    const res = await req('POST', '/bookings', client, bookingBody(listingId, hourFromNow((hour += 2)), { answers }));
    expect(res.statusCode, res.body).toBe(400);
    expect(errorOf(res).code).toBe('validation_failed');
    expect(errorOf(res).fields).toEqual({ [`answers.${questions[3]!.id}`]: [expect.objectContaining({ code: 'required' })] });
    const none = await req('POST', '/bookings', client, bookingBody(listingId, hourFromNow((hour += 2))));
    expect(Object.keys(errorOf(none).fields ?? {}).sort()).toEqual([questions[0]!.id, questions[1]!.id, questions[3]!.id].map((id) => `answers.${id}`).sort());
    expect(await bookingCount()).toBe(before);
    expect(await t.database.sql`SELECT 1 FROM outbox WHERE payload->>'type' = 'booking' AND payload->>'recipientId' = ${admin.userId}`).toHaveLength(0);
  });

  it('refuses each kind\'s wrong answers with its own code', async () => {
    const [floors, home, rooms, pets, code, more] = questions as [Q, Q, Q, Q, Q, Q];
    const answers = [
      { questionId: floors.id, value: '11' },
      { questionId: home.id, value: 'chateau' },
      { questionId: rooms.id, value: ['cuisine', 'garage'] },
      { questionId: pets.id, value: 'peut-être' },
      { questionId: code.id, value: 'x'.repeat(201) },
      { questionId: more.id, value: 42 },
    ];
    const res = await req('POST', '/bookings', client, bookingBody(listingId, hourFromNow((hour += 2)), { answers }));
    expect(res.statusCode).toBe(400);
    const codes = Object.fromEntries(Object.entries(errorOf(res).fields ?? {}).map(([k, v]) => [k, v[0]!.code]));
    expect(codes).toEqual({
      [`answers.${floors.id}`]: 'too_large', [`answers.${home.id}`]: 'invalid_choice', [`answers.${rooms.id}`]: 'invalid_choice',
      [`answers.${pets.id}`]: 'invalid_value', [`answers.${code.id}`]: 'too_long', [`answers.${more.id}`]: 'invalid_value',
    });
    expect(errorOf(res).fields?.[`answers.${floors.id}`]?.[0]?.maximum).toBe(10);
  });

  it('keeps the answers as asked, shows them to the client, the admins and the assigned worker only, and keeps them after the questions change', async () => {
    const res = await req('POST', '/bookings', client, bookingBody(listingId, hourFromNow((hour += 2)), { answers: goodAnswers() }));
    expect(res.statusCode, res.body).toBe(201);
    const b = res.json();
    const expected = [
      { questionId: questions[0]!.id, kind: 'number', labelFr: 'Combien d’étages ?', labelEn: 'How many floors?', value: 2, shownFr: '2', shownEn: '2' },
      { questionId: questions[1]!.id, kind: 'one_choice', labelFr: 'Type de logement', labelEn: 'Kind of home', value: 'c2', shownFr: 'Maison', shownEn: 'House' },
      { questionId: questions[2]!.id, kind: 'several_choices', labelFr: 'Pièces à faire', labelEn: 'Rooms to do', value: ['cuisine', 'four'], shownFr: 'Cuisine, Four', shownEn: 'Kitchen, Oven' },
      { questionId: questions[3]!.id, kind: 'yes_no', labelFr: 'Des animaux ?', labelEn: 'Any pets?', value: false, shownFr: 'Non', shownEn: 'No' },
      { questionId: questions[4]!.id, kind: 'short_text', labelFr: 'Code de la porte', labelEn: 'Door code', value: '4321#', shownFr: '4321#', shownEn: '4321#' },
    ];
    expect(b.answers).toEqual(expected);
    expect((await req('PUT', `/bookings/${b.id}/workers`, admin, { userIds: [amina.userId] })).statusCode).toBe(200);

    for (const who of [client, admin, amina]) {
      const seen = await req('GET', `/bookings/${b.id}`, who);
      expect(seen.statusCode, seen.body).toBe(200);
      expect(seen.json().answers).toEqual(expected);
    }
    // A worker of the same co-op not assigned to it: not the booking, not its answers, not in her list.
    expect((await req('GET', `/bookings/${b.id}`, bruno)).statusCode).toBe(404);
    const brunoList = (await req('GET', `/bookings?as=coop&coopId=${coopId}&scope=all`, bruno)).json().items as { id: string }[];
    expect(brunoList.map((i) => i.id)).not.toContain(b.id);
    const aminaList = (await req('GET', `/bookings?as=coop&coopId=${coopId}&scope=all`, amina)).json().items as { id: string; answers: unknown }[];
    expect(aminaList.find((i) => i.id === b.id)?.answers).toEqual(expected);
    // A steward sees the booking (for disputes and refunds), not the client's answers.
    const stewardView = await req('GET', `/bookings/${b.id}`, steward);
    expect(stewardView.statusCode).toBe(200);
    expect(stewardView.json().answers).toBeNull();
    expect((await req('GET', `/bookings/${b.id}`, otherAdmin)).statusCode).toBe(404);

    // The co-op rewords one question, removes another, adds a required one: the booking says what was asked then.
    const edited = questions.filter((q) => q.id !== questions[2]!.id).map((q) => ({ ...q, labelFr: q.id === questions[0]!.id ? 'Nombre d’étages' : q.labelFr }));
    const put = await req('PUT', `/listings/${listingId}/questions`, admin, { questions: [...edited, { kind: 'yes_no', labelFr: 'Un piano ?', labelEn: 'A piano?', required: true }] });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().items.find((q: Q) => q.id === questions[0]!.id).labelFr).toBe('Nombre d’étages');
    expect((await req('GET', `/bookings/${b.id}`, admin)).json().answers).toEqual(expected);
    // Put the questions back for the other tests.
    const back = await req('PUT', `/listings/${listingId}/questions`, admin, { questions: QUESTIONS });
    questions = back.json().items;
  });

  it('ignores an answer to a question removed since the form was shown', async () => {
    const answers = [...goodAnswers(), { questionId: '00000000-0000-4000-8000-00000000dead', value: 'ancienne question' }];
    const res = await req('POST', '/bookings', client, bookingBody(listingId, hourFromNow((hour += 2)), { answers }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().answers).toHaveLength(5);
  });

  it('puts the answers in the co-op\'s email about the new request', async () => {
    const res = await req('POST', '/bookings', client, bookingBody(listingId, hourFromNow((hour += 2)), { answers: goodAnswers() }));
    expect(res.statusCode).toBe(201);
    const mail = (await t.sentMail()).find((m) => m.to === admin.email && m.text.includes(res.json().id));
    expect(mail, 'the co-op\'s email').toBeDefined();
    const text = mail!.text.replace(/[\u00a0\u202f]/g, ' ');
    expect(text).toContain('Réponses aux questions :');
    expect(text).toContain('- Type de logement : Maison');
    expect(text).toContain('- Pièces à faire : Cuisine, Four');
    expect(text).toContain('- Des animaux ? : Non');
  });
});
