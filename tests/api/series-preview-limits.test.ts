/**
 * A change preview runs the change in a transaction rolled back, with the listing's calendar locked:
 * found by an attack, twenty previews at once from ten years ahead (2,600 visits made each) held
 * every booking of the listing back for three seconds. A change starts within a year, and a person
 * previews a few times a minute, not sixty.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, type TestApp } from '../support/test-app.js';
import { seriesPaymentsWorld } from '../support/series-payments-world.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('previews of a change', () => {
  it('a change, or its preview, from more than a year ahead is refused on its date field; previews are limited per person', async () => {
    const w = await seriesPaymentsWorld(t, 3);
    // With no end, as most regular visits are.
    await t.database.sql`UPDATE booking_series SET ends_on = NULL WHERE id = ${w.series.id}`;
    await t.database.sql`UPDATE booking_series_rules SET until = NULL WHERE series_id = ${w.series.id}`;
    const today = DateTime.now().setZone('America/Toronto').startOf('day');
    let far = today.plus({ days: 400 });
    while (far.weekday !== today.plus({ days: 14 }).weekday) far = far.plus({ days: 1 });
    const from = far.toISODate()!;
    for (const res of [
      await t.app.inject({ method: 'GET', url: `/series/${w.series.id}/change-preview?from=${from}&time=10:00`, headers: w.client.auth }),
      await t.app.inject({ method: 'POST', url: `/series/${w.series.id}/change`, headers: w.client.auth, payload: { from, time: '10:00' } }),
    ]) {
      expect([res.statusCode, errorOf(res).fields?.from?.[0]?.code]).toEqual([400, 'change_too_far_ahead']);
    }
    const near = today.plus({ days: 21 }).toISODate()!;
    const codes: number[] = [];
    for (let i = 0; i < 61; i++) codes.push((await t.app.inject({ method: 'GET', url: `/series/${w.series.id}/end-preview?from=${near}`, headers: w.client.auth })).statusCode);
    expect(codes.slice(0, 58).every((c) => c === 200)).toBe(true);
    expect(codes.at(-1)).toBe(429);
  });
});
