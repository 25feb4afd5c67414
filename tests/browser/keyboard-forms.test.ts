/**
 * Issue 15, "forms are usable by keyboard alone and their errors are announced": a person who uses
 * no mouse fills and sends sign-in, sign-up, a booking request and a co-op dashboard form (the
 * invitation) with Tab, Shift+Tab, Space and Enter only, on a phone, in French. At every stop the
 * focus must be visible; a refused form must put the focus on its summary (a role="alert") or on
 * its first wrong field, and each wrong field must say so (aria-invalid) and point at its error
 * text (aria-describedby). axe-core checks each refused form too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser.js';
import { axeViolations } from '../support/axe.js';
import {
  DEMO_PASSWORD, adminCoopId, apiAs, bookableListings, goto, hydrated, mondayOf, phone, signIn, signUpClient, slotAfter,
} from '../support/booking-world.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** Focus stops where nothing showed the focus. */
const unseen: string[] = [];

/** What has the focus, and whether a person can see it (an outline or a ring). */
async function focused(page: Page): Promise<{ describe: string; visible: boolean; isBody: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { describe: 'body', visible: false, isBody: true };
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const ring = s.boxShadow !== 'none';
    const name = el.getAttribute('name') ?? el.id ?? '';
    return { describe: `${el.tagName.toLowerCase()}${name ? `[${name}]` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`, visible: outline || ring, isBody: false };
  });
}

/** Presses Tab (or Shift+Tab) until the focused element matches `selector`; checks each stop is visible. */
async function tabTo(page: Page, selector: string, back = false, max = 200): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (!f.isBody && !f.visible) unseen.push(`${new URL(page.url()).pathname}: ${f.describe}`);
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
  }
  throw new Error(`${max} presses of ${back ? 'Shift+Tab' : 'Tab'} never reached ${selector} on ${page.url()}`);
}

/** Types into the focused field after emptying it with the keyboard. */
async function retype(page: Page, text: string): Promise<void> {
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  if (text) await page.keyboard.type(text);
}

/**
 * After a refused submit: the focus is on the alert summary or on the first wrong field; each named
 * field is aria-invalid and described by an element that holds its error; no axe violation.
 */
async function refusalAnnounced(page: Page, wrong: string[], right: string[] = []): Promise<void> {
  await expect.poll(() => page.evaluate(() => {
    const el = document.activeElement;
    return !!el && (el.matches('[role=alert], [aria-live]') || el.getAttribute('aria-invalid') === 'true');
  }), { message: 'the focus moves to the summary or the first wrong field' }).toBe(true);
  const summary = await page.evaluate(() => {
    const el = document.activeElement!;
    return el.matches('[role=alert], [aria-live]') ? (el.textContent ?? '').trim() : 'field';
  });
  expect(summary.length, 'the summary says something').toBeGreaterThan(0);
  for (const sel of wrong) {
    const field = await page.evaluate((s) => {
      const el = document.querySelector(s);
      if (!el) return null;
      const described = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)
        .map((id) => document.getElementById(id)?.textContent?.trim() ?? '').filter(Boolean);
      return { invalid: el.getAttribute('aria-invalid'), described };
    }, sel);
    expect(field, sel).not.toBeNull();
    // A group of radios or boxes is described; each control of it is not "invalid" by itself.
    if (!sel.startsWith('fieldset')) expect(field!.invalid, `${sel} is marked invalid`).toBe('true');
    expect(field!.described.length, `${sel} points at its error text`).toBeGreaterThan(0);
  }
  for (const sel of right) expect(await page.getAttribute(sel, 'aria-invalid'), `${sel} is not marked invalid`).toBeNull();
  expect(await axeViolations(page)).toEqual([]);
}

describe('forms by keyboard alone, errors announced (390 px, fr)', () => {
  it('signs in: an empty form is refused and said so, then the right password gets in', async () => {
    const { context, page } = await phone(browser);
    await goto(page, '/sign-in');
    await tabTo(page, 'input[name=email]');
    await tabTo(page, 'form button[type=submit]');
    await page.keyboard.press('Enter');
    await refusalAnnounced(page, ['input[name=email]', 'input[name=password]']);
    await screenshot(page, 'keyboard-sign-in-refused-fr-390');
    // The same refusal a second time is told again: the focus leaves the button for the summary.
    await tabTo(page, 'form button[type=submit]');
    await page.keyboard.press('Enter');
    await refusalAnnounced(page, ['input[name=email]', 'input[name=password]']);
    await tabTo(page, 'input[name=email]');
    await page.keyboard.type('client@tissu.demo');
    await tabTo(page, 'input[name=password]');
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    await context.close();
  });

  it('signs up: a bad address and a short password are refused, fixed with Shift+Tab, then the account is made', async () => {
    const { context, page } = await phone(browser);
    await goto(page, '/sign-up');
    await tabTo(page, 'input[name=name]');
    await page.keyboard.type('Clavier Seulement');
    await tabTo(page, 'input[name=email]');
    await page.keyboard.type('pas-une-adresse');
    await tabTo(page, 'input[name=password]');
    await page.keyboard.type('court');
    await page.keyboard.press('Enter');
    await refusalAnnounced(page, ['input[name=email]', 'input[name=password]'], ['input[name=name]']);
    await screenshot(page, 'keyboard-sign-up-refused-fr-390');
    // From the summary: forward to the password, back to the address.
    await tabTo(page, 'input[name=password]');
    await page.keyboard.type('un-mot-de-passe-au-clavier');
    await tabTo(page, 'input[name=email]', true);
    await retype(page, `clavier-${Date.now()}@example.org`);
    await tabTo(page, 'form button[type=submit]');
    await page.keyboard.press('Space');
    // Made: the page says where the confirmation link went, in a status region read out.
    await page.getByTestId('sign-up-sent').waitFor();
    expect(await page.getByTestId('sign-up-sent').getAttribute('role')).toBe('status');
    await context.close();
  });

  it('asks for a booking: a slot chosen with Enter, an emptied name refused, then sent', async () => {
    const admin = await apiAs('admin@tissu.demo');
    const [bookable] = await bookableListings(await adminCoopId(admin));
    const listing = bookable!.listing;
    const slot = await slotAfter(listing.id, 48);
    const who = await signUpClient('Léa Clavier');
    const { context, page } = await phone(browser);
    await signIn(page, who.email, who.password);
    await goto(page, `/listings/${listing.id}?week=${mondayOf(slot, bookable!.schedule.timeZone)}`);
    await tabTo(page, '[data-testid=slot]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/[?&]slot=/);
    await hydrated(page);
    await tabTo(page, 'input[name=contactName]');
    await retype(page, '');
    await tabTo(page, '[data-testid=book-submit]');
    await page.keyboard.press('Enter');
    await refusalAnnounced(page, ['input[name=contactName]'], ['input[name=contactEmail]']);
    await screenshot(page, 'keyboard-booking-refused-fr-390');
    await tabTo(page, 'input[name=contactName]');
    await page.keyboard.type('Léa Clavier');
    // The address, where the service comes to the client.
    if (await page.locator('input[name=street]').count()) {
      for (const [input, typed] of [['street', '4321, rue Saint-Denis'], ['postalCode', 'H2J 2K9'], ['city', 'Montréal']] as const) {
        await tabTo(page, `input[name=${input}]`);
        await page.keyboard.type(typed);
      }
    }
    await tabTo(page, '[data-testid=book-submit]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}/);
    await context.close();
  });

  it('invites a worker from the co-op dashboard: a bad address refused, then the invitation sent', async () => {
    const admin = await apiAs('admin@tissu.demo');
    const coopId = await adminCoopId(admin);
    const { context, page } = await phone(browser);
    await signIn(page, 'admin@tissu.demo');
    await goto(page, `/dashboard/coops/${coopId}`);
    await tabTo(page, '#invite-email');
    await page.keyboard.type('pas-une-adresse');
    await tabTo(page, '#invite-role');
    await tabTo(page, '.invite-form button[type=submit]');
    await page.keyboard.press('Enter');
    await refusalAnnounced(page, ['#invite-email'], ['#invite-role']);
    await screenshot(page, 'keyboard-invite-refused-fr-390');
    await tabTo(page, '#invite-email');
    await retype(page, `invitee-clavier-${Date.now()}@example.org`);
    await tabTo(page, '.invite-form button[type=submit]');
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('.invite-form [role=status]').count()).toBe(1);
    expect(await page.getAttribute('#invite-email', 'aria-invalid')).toBeNull();
    await context.close();
  });

  it('adds a member from the steward register: a co-op class without its co-op is refused at the co-op list', async () => {
    const { context, page } = await phone(browser);
    await signIn(page, 'steward@tissu.demo');
    await goto(page, '/steward/members');
    // Into the classes (Tab stops at the chosen one), then up to the first, a producer co-op; its co-op left unchosen.
    await tabTo(page, 'input[name=class]');
    for (let i = 0; i < 4 && !(await page.isChecked('#join-class-producer')); i++) await page.keyboard.press('ArrowUp');
    expect(await page.isChecked('#join-class-producer')).toBe(true);
    await tabTo(page, '[data-testid=join-submit]');
    await page.keyboard.press('Enter');
    // The co-op list says it is wrong and reads its error (FieldErrors links it: the markup does not).
    await refusalAnnounced(page, ['#join-coop']);
    await screenshot(page, 'keyboard-steward-join-refused-fr-390');
    await context.close();
  });

  it('showed the focus at every stop', () => {
    expect(unseen).toEqual([]);
  });
});
