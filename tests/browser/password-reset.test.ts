import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser.js';
import { goto, hydrated } from '../support/booking-world.js';

let browser: Browser;
let page: Page;
const web = () => inject('webUrl');
const email = `oubli-${Date.now()}@example.org`;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
});
afterAll(() => browser?.close());

/** The reset link in the email to this address (written to the mail folder without SMTP). */
async function resetLink(): Promise<string> {
  const dir = inject('mailDir');
  for (let i = 0; i < 200; i++) {
    for (const name of (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json'))) {
      const mail = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as { to: string; text: string };
      const link = mail.to === email ? /https?:\/\/\S+\/reset-password\/\S+/.exec(mail.text) : null;
      if (link) return link[0];
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no reset email to ${email}`);
}

describe('a person who forgot her password, on a phone, in French', () => {
  it('asks for a link, chooses a new password with it, and signs in with the new one only', async () => {
    await goto(page, '/sign-up');
    await page.fill('input[name=name]', 'Nadia Oubli');
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', 'first password 2026');
    await page.click('main form button[type=submit]');
    await expect.poll(() => page.getByTestId('sign-up-sent').innerText()).toContain(email);

    await goto(page, '/sign-in');
    await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    await page.waitForURL(/\/forgot-password$/);
    await hydrated(page);
    await page.fill('input[name=email]', email);
    await page.click('main form button[type=submit]');
    await expect.poll(() => page.getByTestId('reset-sent').innerText()).toContain(email);

    const link = await resetLink();
    expect(new URL(link).origin).toBe(new URL(web()).origin);
    await goto(page, new URL(link).pathname);
    await page.fill('input[name=password]', 'court');
    await page.click('main form button[type=submit]');
    await expect.poll(() => page.locator('main form').innerText()).toContain('Au moins 10 caractères');
    await page.fill('input[name=password]', 'second password 2026');
    await page.click('main form button[type=submit]');
    await page.waitForURL(/\/sign-in\?reset=1$/);
    await hydrated(page);
    await expect.poll(() => page.locator('.alert-success').innerText()).toContain('Votre mot de passe est changé');
    await screenshot(page, 'password-reset-done');

    // The old password no longer opens the account; the new one does; the link works once.
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', 'first password 2026');
    await page.click('main form button[type=submit]');
    await expect.poll(() => page.locator('.alert-error').innerText()).toContain('Courriel ou mot de passe incorrect');
    await page.fill('input[name=password]', 'second password 2026');
    await page.click('main form button[type=submit]');
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));

    await goto(page, new URL(link).pathname);
    await page.fill('input[name=password]', 'third password 2026');
    await page.click('main form button[type=submit]');
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'password-reset-link-used');
    await expect.poll(() => page.locator('.alert-error').innerText()).toContain("Ce lien n'est plus valide");
  });
});
