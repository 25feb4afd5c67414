/**
 * A language chosen just before signing in is the account's from then on (its emails are written
 * in it), as the language switch does for someone signed in; a visitor who never chose keeps the
 * account's own language.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser.js';
import { apiAs, goto, hydrated, phone, signIn, signUpClient } from '../support/booking-world.js';

let browser: Browser;

const localeOf = async (login: { email: string; password: string }) => (await (await apiAs(login.email, login.password)).get<{ locale: string }>('/me')).locale;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the language at sign-in', () => {
  it('chosen while signed out (English), becomes the French account\'s language when she signs in', async () => {
    const login = await signUpClient('Cliente Anglophone');
    expect(await localeOf(login)).toBe('fr');
    const { context, page } = await phone(browser);
    await goto(page, '/');
    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await hydrated(page);
    await signIn(page, login.email, login.password);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await screenshot(page, 'signed-in-after-choosing-english-390');
    // Her emails follow the account's language.
    expect(await localeOf(login)).toBe('en');
    await context.close();
  });

  it('chosen while signed out (French, after English), becomes the English account\'s language', async () => {
    const login = await signUpClient('Client Who Switched Back');
    const me = await apiAs(login.email, login.password);
    const set = await fetch(`${inject('apiUrl')}/me`, {
      method: 'PATCH', headers: { authorization: `Bearer ${me.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ locale: 'en' }),
    });
    expect(set.status).toBe(200);
    const { context, page } = await phone(browser);
    await page.goto(`${inject('webUrl')}/lang?to=en&redirect=/`);
    await hydrated(page);
    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
    await hydrated(page);
    await signIn(page, login.email, login.password);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    await screenshot(page, 'signed-in-after-choosing-french-390-fr');
    expect(await localeOf(login)).toBe('fr');
    await context.close();
  });

  it('never chosen, the account keeps its own (English), though the pages were French', async () => {
    const login = await signUpClient('Client Who Never Chose');
    const me = await apiAs(login.email, login.password);
    const set = await fetch(`${inject('apiUrl')}/me`, {
      method: 'PATCH', headers: { authorization: `Bearer ${me.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ locale: 'en' }),
    });
    expect(set.status).toBe(200);
    const { context, page } = await phone(browser);
    await signIn(page, login.email, login.password);
    expect(await localeOf(login)).toBe('en');
    await context.close();
  });

  it('set by a link from another site, changes the pages only: the account keeps its language (found by an attack)', async () => {
    const login = await signUpClient('Cliente Prudente');
    const { context, page } = await phone(browser);
    // As a link followed from elsewhere: the browser sends where it came from.
    const followed = await context.request.get(`${inject('webUrl')}/lang?to=en&redirect=/`, {
      headers: { 'Sec-Fetch-Site': 'cross-site', Referer: 'https://evil.example/' }, maxRedirects: 0,
    });
    expect(followed.status()).toBe(303);
    expect((await context.cookies()).find((c) => c.name === 'PARAGLIDE_LOCALE')?.value).toBe('en');
    await signIn(page, login.email, login.password);
    expect(await localeOf(login)).toBe('fr');
    await context.close();
  });
});
