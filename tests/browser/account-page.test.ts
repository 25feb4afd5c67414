/**
 * The account page on a phone, in French (issue 15): reached at /compte, she changes her name,
 * is told what is wrong with a phone number, signs out another device, moves her account to a
 * new address through the mailed link, and switches the site to English. No sideways scroll.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser.js';
import { goto, hydrated, mailedLink, phone, signIn, signUpClient } from '../support/booking-world.js';

let browser: Browser;
let context: BrowserContext;
let page: Page;
let person: { email: string; password: string };
const LAPTOP = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:133.0) Gecko/20100101 Firefox/133.0';

beforeAll(async () => {
  browser = await launchBrowser();
  ({ context, page } = await phone(browser));
  person = await signUpClient('Marie-Ève Beauchemin-Nguyen');
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
});

/** Another device of hers: a sign-in over the API as a laptop's Firefox would. */
async function laptopSignIn(): Promise<string> {
  const res = await fetch(`${inject('apiUrl')}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': LAPTOP },
    body: JSON.stringify({ email: person.email, password: person.password }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

const noSidewaysScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('the account page on a phone, in French', () => {
  it('opens at /compte, saves a long name, says what is wrong with a phone number', async () => {
    await signIn(page, person.email, person.password);
    await goto(page, '/compte');
    expect(new URL(page.url()).pathname).toBe('/compte');
    await expect.poll(() => page.locator('h1').innerText()).toBe('Mon compte');

    const longName = 'Marie-Ève Beauchemin-Nguyen-Tremblay-Saint-Laurent-Villeneuve';
    await page.fill('input[name=name]', longName);
    await page.fill('input[name=phone]', 'appelez-moi');
    await page.getByTestId('profile-save').click();
    await expect.poll(() => page.locator('#f-phone-errors').innerText()).not.toBe('');
    await page.fill('input[name=phone]', '514 555-0123');
    await page.getByTestId('profile-save').click();
    await expect.poll(() => page.locator('[role=status]').first().innerText()).toContain('Profil enregistré');
    await goto(page, '/account');
    expect(await page.inputValue('input[name=name]')).toBe(longName);
    expect(await page.inputValue('input[name=phone]')).toBe('514 555-0123');
    expect(await noSidewaysScroll()).toBe(true);
  });

  it('lists her devices, marks this one, and signs the other out', async () => {
    const laptopToken = await laptopSignIn();
    await goto(page, '/account');
    await expect.poll(() => page.getByTestId('device').count()).toBe(2);
    await expect.poll(() => page.getByTestId('devices').innerText()).toContain('Firefox sur macOS');
    expect(await page.getByTestId('this-device').count()).toBe(1);
    await screenshot(page, 'account-fr-390');
    await page.getByTestId('device-sign-out').click();
    await expect.poll(() => page.getByText('L’appareil a été déconnecté.').count()).toBe(1);
    await expect.poll(() => page.getByTestId('device').count()).toBe(1);
    const me = await fetch(`${inject('apiUrl')}/me`, { headers: { authorization: `Bearer ${laptopToken}` } });
    expect(me.status).toBe(401);
  });

  it('changes her address through the link mailed to the new one', async () => {
    const newEmail = `nouvelle-${Date.now()}@example.org`;
    await goto(page, '/account');
    await page.fill('input[name=newEmail]', newEmail);
    await page.fill('#f-currentPassword', 'pas le bon');
    await page.getByTestId('email-save').click();
    await expect.poll(() => page.locator('#f-currentPassword-errors').innerText()).toContain('Le mot de passe actuel est incorrect');
    await page.fill('#f-currentPassword', person.password);
    await page.getByTestId('email-save').click();
    await expect.poll(() => page.locator('[role=status]').first().innerText()).toContain(newEmail);
    expect(await page.getByTestId('current-email').innerText()).toBe(person.email);

    const link = await mailedLink(newEmail, /https?:\/\/\S+\/confirm-email\/[\w-]+/);
    expect(new URL(link[0]).origin).toBe(new URL(inject('webUrl')).origin);
    await goto(page, new URL(link[0]).pathname);
    await expect.poll(() => page.getByTestId('email-changed').innerText()).toContain(newEmail);
    await goto(page, '/account');
    expect(await page.getByTestId('current-email').innerText()).toBe(newEmail);
    person.email = newEmail;
  });

  it('switches the site to English, which her account keeps', async () => {
    await goto(page, '/account');
    await page.check('#locale-en');
    await page.getByTestId('language-save').click();
    await page.waitForURL(/\/account\?saved=language$/);
    await hydrated(page);
    await expect.poll(() => page.locator('h1').innerText()).toBe('My account');
    expect(await page.getByTestId('language-saved').innerText()).toContain('English');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await noSidewaysScroll()).toBe(true);
    await screenshot(page, 'account-en-390');
    const res = await fetch(`${inject('apiUrl')}/auth/sign-in`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: person.email, password: person.password }),
    });
    expect(((await res.json()) as { user: { locale: string } }).user.locale).toBe('en');
  });
});
