/**
 * Messages are queued in one statement whose text does not change with their number: each column
 * travels as one array literal (notifications/outbox.ts, enqueueAll). A reason typed by someone
 * comes back exactly as typed, whatever it holds, and a key already queued is queued once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue, enqueueAll } from '../../server/src/modules/notifications/outbox.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const payload = (reason: string | null) => ({
  type: 'booking' as const, message: 'declined' as const, bookingId: '00000000-0000-4000-8000-000000000001', recipientId: '00000000-0000-4000-8000-000000000002', reason,
});

describe('enqueueAll', () => {
  it('keeps every character of a payload, in the order given, each key once', async () => {
    const hostile = [
      'guillemets "doubles" et \\ barre oblique inverse \\"',
      'accolades {a,b} , virgules, NULL, "NULL", \'apostrophes\'',
      'lignes\nnouvelles\r\n\ttab, émoji 🧹, zéro-largeur\u200b, \u0001 contrôle',
      '',
    ];
    const notBefore = new Date('2031-05-06T07:08:09.123Z');
    await t.db.transaction(async (tx) => {
      await enqueueAll(tx, [
        ...hostile.map((reason, i) => ({ dedupeKey: `enqueue-test:${i}:"{,}\\`, payload: payload(reason) })),
        { dedupeKey: 'enqueue-test:null', payload: payload(null), notBefore },
        // The same key twice, and a key queued before: one row each, the first kept.
        { dedupeKey: 'enqueue-test:0:"{,}\\', payload: payload('second') },
      ]);
      await enqueue(tx, 'enqueue-test:null', payload('again'));
    });
    const rows = await t.database.sql<{ dedupe_key: string; kind: string; payload: { reason: string | null }; not_before: Date }[]>`
      SELECT dedupe_key, kind, payload, not_before FROM outbox WHERE dedupe_key LIKE 'enqueue-test:%' ORDER BY id`;
    expect(rows.map((r) => r.dedupe_key)).toEqual([...hostile.map((_, i) => `enqueue-test:${i}:"{,}\\`), 'enqueue-test:null']);
    expect(rows.map((r) => r.payload.reason)).toEqual([...hostile, null]);
    expect(rows.every((r) => r.kind === 'email')).toBe(true);
    expect(new Date(rows.at(-1)!.not_before).toISOString()).toBe(notBefore.toISOString());
  });

  it('queues nothing and sends nothing for no message', async () => {
    await expect(enqueueAll(t.db, [])).resolves.toBeUndefined();
  });
});
