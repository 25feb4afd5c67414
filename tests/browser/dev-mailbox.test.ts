/**
 * The development mailbox on a phone, in French: a confirmation with its calendar invitation shows
 * the attachment (name, type, a download link, what and when). It holds password-reset links, so
 * a web server reached over the network answers 404, whatever X-Forwarded-For claims.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createMailer } from '../../server/src/plugins/mailer.js';
import { bookingCalendar } from '../../server/src/modules/notifications/ics.js';
import { freePort } from '../../scripts/free-port.js';
import { launchBrowser, screenshot } from '../support/browser.js';
import { goto, phone } from '../support/booking-world.js';

let browser: Browser;
const subject = `Réservation confirmée : Grand ménage ${Date.now()}`;
// 10:00 to 12:00 in Montréal on 3 December 2026 (UTC-5).
const start = new Date('2026-12-03T15:00:00Z');
const end = new Date('2026-12-03T17:00:00Z');

beforeAll(async () => {
  browser = await launchBrowser();
  // What the outbox worker writes for a confirmation: the same mailer, the same folder.
  const mailer = createMailer({ smtpUrl: undefined, mailFrom: 'Tissu <bonjour@tissu.coop>', mailDir: inject('mailDir') });
  await mailer.send({
    to: 'camille@example.org',
    subject,
    text: 'Paiement reçu.',
    attachments: [{
      filename: 'reservation.ics',
      contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
      content: bookingCalendar({ uid: 'booking-x@tissu.coop', start, end, summary: 'Grand ménage — Ménage Éclat', description: '', location: '', url: 'http://localhost/bookings/x', sequence: 1, organizer: 'Tissu <bonjour@tissu.coop>' }),
    }],
  });
});
afterAll(() => browser?.close());

describe('the development mailbox', () => {
  it('shows each attachment: name, type, download link, and the invitation’s what and when', async () => {
    const { context, page } = await phone(browser);
    await goto(page, '/dev/mailbox');
    const card = page.locator('li.card', { hasText: subject });
    const attachment = card.getByTestId('mail-attachment');
    await expect(attachment.count()).resolves.toBe(1);
    const link = attachment.getByRole('link', { name: 'Télécharger reservation.ics' });
    expect(await link.getAttribute('download')).toBe('reservation.ics');
    const href = (await link.getAttribute('href'))!;
    expect(href.startsWith('data:text/calendar')).toBe(true);
    expect(decodeURIComponent(href)).toContain('SUMMARY:Grand ménage — Ménage Éclat');
    expect(await attachment.innerText()).toContain('text/calendar');
    const calendar = (await card.getByTestId('mail-calendar').innerText()).replace(/[\u00a0\u202f]/g, ' ');
    expect(calendar).toContain('Invitation de calendrier : Grand ménage — Ménage Éclat');
    expect(calendar).toMatch(/3 déc\. 2026.*10 h 00.*3 déc\. 2026.*12 h 00/s);
    await card.scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'dev-mailbox-attachments-390-fr');
    await context.close();
  });

  it('answers 404 to anyone reached over the network, even claiming to be forwarded from this machine', async () => {
    const lan = Object.values(networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4')?.address;
    expect(lan, 'a non-loopback address on this machine').toBeTruthy();
    // The same built web, listening on every interface this time (the stack's listens on loopback only).
    const port = await freePort();
    const web: ChildProcess = spawn(process.execPath, [path.resolve('web/build/index.js')], {
      env: { ...process.env, API_URL: inject('apiUrl'), PORT: String(port), HOST: '0.0.0.0', ORIGIN: `http://localhost:${port}`, NODE_ENV: 'production' },
      stdio: 'ignore',
    });
    try {
      for (let i = 0; i < 100; i++) {
        if (await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const local = await fetch(`http://127.0.0.1:${port}/dev/mailbox`);
      expect(local.status).toBe(200);
      expect(await local.text()).toContain(subject);
      for (const headers of [{}, { 'x-forwarded-for': '127.0.0.1' }] as Record<string, string>[]) {
        const remote = await fetch(`http://${lan}:${port}/dev/mailbox`, { headers });
        expect(remote.status).toBe(404);
        expect(await remote.text()).not.toContain('camille@example.org');
      }
    } finally {
      web.kill('SIGTERM');
    }
  });
});
