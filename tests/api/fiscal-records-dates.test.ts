/**
 * A steward's expense or other income belongs to one fiscal year: the year page lists it and the
 * year's close counts it. A record dated in no year was saved and posted to the ledger, and then
 * showed on no year page and counted in no result. It is refused (400 on occurredOn), and a year
 * whose books are shut says whether it is closing (its plan under way) or closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { torontoDate } from '../support/patronage.js';

let t: TestApp;
let steward: SignedIn;
const thisYear = Number(torontoDate(new Date()).slice(0, 4));

beforeAll(async () => {
  t = await createTestApp();
  steward = await signUp(t.app);
  await makeSteward(t, steward.userId);
});
afterAll(() => t?.close());

const count = async (table: string) => Number((await t.database.sql.unsafe(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n);
const post = (url: string, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url, headers: steward.auth, payload });
const record = (occurredOn: string, kind = 'expense', amountCents = 100) =>
  post('/steward/fiscal-records', { kind, occurredOn, category: 'Essai', amountCents });

describe('a fiscal record dated in no fiscal year', () => {
  it('is refused when no fiscal year exists at all, and nothing is written', async () => {
    const [records, entries] = [await count('fiscal_records'), await count('journal_entries')];
    const res = await record(`${thisYear - 1}-06-15`);
    expect(res.statusCode, res.body).toBe(400);
    expect(errorOf(res).fields?.occurredOn).toEqual([expect.objectContaining({ code: 'no_fiscal_year' })]);
    expect(await count('fiscal_records')).toBe(records);
    expect(await count('journal_entries')).toBe(entries);
  });

  it('is refused when it falls before, between or after the years that exist', async () => {
    for (const y of [thisYear - 5, thisYear - 3]) {
      expect((await post('/steward/fiscal-years', { startsOn: `${y}-01-01`, confirmPastDeadline: true })).statusCode).toBe(201);
    }
    const [records, entries] = [await count('fiscal_records'), await count('journal_entries')];
    for (const date of ['2019-01-01', `${thisYear - 4}-06-15`, `${thisYear - 1}-06-15`]) {
      const res = await record(date);
      expect(res.statusCode, `${date}: ${res.body}`).toBe(400);
      expect(errorOf(res).fields?.occurredOn?.[0]?.code).toBe('no_fiscal_year');
    }
    expect(await count('fiscal_records')).toBe(records);
    expect(await count('journal_entries')).toBe(entries);
    // A date a year covers is taken.
    expect((await record(`${thisYear - 5}-06-15`, 'income', 50_000)).statusCode).toBe(201);
    expect((await record(`${thisYear - 3}-06-15`)).statusCode).toBe(201);
  });

  it('says a closing year is closing, and a closed year closed', async () => {
    const years = (await t.app.inject({ url: '/steward/fiscal-years', headers: steward.auth })).json().years as { id: number; startsOn: string }[];
    const byStart = (y: number) => years.find((x) => x.startsOn === `${y}-01-01`)!.id;
    // The older year has a surplus: closed, it waits for its plan ("closing"). The other has a deficit: closed outright.
    const surplus = await post(`/steward/fiscal-years/${byStart(thisYear - 5)}/close`, {});
    expect(surplus.json().status, surplus.body).toBe('closing');
    const deficit = await post(`/steward/fiscal-years/${byStart(thisYear - 3)}/close`, {});
    expect(deficit.json().status, deficit.body).toBe('closed');

    const closing = await record(`${thisYear - 5}-07-01`);
    expect(closing.statusCode, closing.body).toBe(409);
    expect(errorOf(closing).code).toBe('year_closing');
    const closed = await record(`${thisYear - 3}-07-01`);
    expect(closed.statusCode, closed.body).toBe(409);
    expect(errorOf(closed).code).toBe('year_closed');
  });
});
