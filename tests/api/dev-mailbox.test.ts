/**
 * The development mailbox holds password-reset links: it answers only this machine (the socket's
 * peer address, whatever X-Forwarded-For says), never in production, and shows the attachments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.mailer.send({
    to: 'camille@example.org',
    subject: 'Réservation confirmée : Grand ménage',
    text: 'Voir la réservation : http://localhost:3000/bookings/1',
    attachments: [{ filename: 'reservation.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: 'BEGIN:VCALENDAR\r\nSUMMARY:Grand ménage\r\nEND:VCALENDAR\r\n' }],
  });
});
afterAll(() => t.close());

describe('GET /dev/mail', () => {
  it('answers this machine with every message and its attachments', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/dev/mail', remoteAddress: '127.0.0.1' });
    expect(res.statusCode).toBe(200);
    const [mail] = res.json().items;
    expect(mail.attachments).toEqual([
      { filename: 'reservation.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: expect.stringContaining('SUMMARY:Grand ménage') },
    ]);
    expect((await t.app.inject({ method: 'GET', url: '/dev/mail', remoteAddress: '::ffff:127.0.0.1' })).statusCode).toBe(200);
  });

  it('is a 404 from any other address, even one that says it is forwarded from this machine', async () => {
    for (const remoteAddress of ['192.168.1.20', '10.0.0.7', '::ffff:192.168.1.20', 'fe80::1']) {
      const res = await t.app.inject({ method: 'GET', url: '/dev/mail', remoteAddress, headers: { 'x-forwarded-for': '127.0.0.1' } });
      expect(res.statusCode, remoteAddress).toBe(404);
      expect(res.body).not.toContain('camille@example.org');
    }
  });

  it('is a 404 in production, even from this machine', async () => {
    const prod = await buildApp({ config: { ...t.config, env: 'production', jobs: false }, database: t.database, mailer: t.mailer, logger: false });
    try {
      const res = await prod.inject({ method: 'GET', url: '/dev/mail', remoteAddress: '127.0.0.1' });
      expect(res.statusCode).toBe(404);
    } finally {
      await prod.close();
    }
  });
});
