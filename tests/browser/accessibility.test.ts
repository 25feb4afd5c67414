/**
 * Issue 15, "Accessibility, measured": every page of the web app passes axe-core's WCAG 2.0/2.1 A
 * and AA rules, as each person who can open it (signed out, client, co-op admin, worker, steward),
 * in French and in English, on a phone (390 px) and a laptop (1280 px).
 *
 * One table, ROUTES, says for each route of web/src/routes how to reach it and as whom. The first
 * test reads the routes folder: a page added there and not to the table (or to NOT_PAGES, with its
 * reason) fails by name, so no page is forgotten. To check a new page: add its route id to ROUTES
 * with the paths that show it, built from the world (tests/support/a11y-world.ts) if it needs data.
 *
 * No rule is disabled. One browser; each person's page is reused; each path is loaded once per
 * language and checked at both widths.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser.js';
import { axeViolations } from '../support/axe.js';
import { PHONE, hydrated, signIn } from '../support/booking-world.js';
import { ADMIN, STEWARD, WORKER, buildA11yWorld, payInBrowser, type A11yWorld } from '../support/a11y-world.js';

type Role = 'public' | 'client' | 'admin' | 'worker' | 'steward';
type Visits = Partial<Record<Role, string[]>>;

const dash = (w: A11yWorld) => `/dashboard/coops/${w.coopId}`;
const bookingPages = (w: A11yWorld) => [w.pending, w.accepted, w.paid, w.cancelled, w.declined].map((b) => `/bookings/${b.id}`);

/** Route id (as SvelteKit names it) -> the paths that show it, per person. */
const ROUTES: Record<string, (w: A11yWorld) => Visits> = {
  '/': () => ({ public: ['/'], client: ['/'], worker: ['/'] }),
  // +error.svelte: any unknown address.
  '(error)': () => ({ public: ['/page-qui-n-existe-pas'] }),
  '/account': () => ({ client: ['/account'], admin: ['/account'], worker: ['/account'], steward: ['/account'] }),
  '/account/data': () => ({ client: ['/account/data'] }),
  // An unknown token shows the expired-link state (the ready state is checked in data-export.test.ts's walk).
  '/account/data/[token]': () => ({ client: [`/account/data/${'x'.repeat(43)}`] }),
  '/account/delete/done': () => ({ public: ['/account/delete/done'] }),
  '/account/delete': () => ({ client: ['/account/delete'], admin: ['/account/delete'], worker: ['/account/delete'] }),
  '/privacy': () => ({ public: ['/privacy'], client: ['/privacy'] }),
  '/account/addresses': () => ({ client: ['/account/addresses'] }),
  '/listings/[id]/quote': (w) => ({ public: [`/listings/${w.listingId}/quote`], client: [`/listings/${w.listingId}/quote`] }),
  '/quotes/[id]': (w) => ({ client: [`/quotes/${w.quoteId}`], admin: [`/quotes/${w.quoteId}`] }),
  '/dashboard/coops/[id]/quotes': (w) => ({ admin: [`${dash(w)}/quotes`] }),
  '/account/calendar': () => ({ client: ['/account/calendar'], worker: ['/account/calendar'] }),
  '/account/card': () => ({ client: ['/account/card'] }),
  '/assembly': () => ({ client: ['/assembly'], worker: ['/assembly'], steward: ['/assembly'] }),
  '/assembly/plans/[id]': (w) => ({ worker: w.planIds.map((id) => `/assembly/plans/${id}`) }),
  '/bookings': () => ({ client: ['/bookings', '/bookings?scope=past'], worker: ['/bookings'] }),
  '/bookings/[id]': (w) => ({ client: bookingPages(w), admin: bookingPages(w) }),
  '/bookings/[id]/pay': (w) => ({ client: [`/bookings/${w.accepted.id}/pay`, `/bookings/${w.accepted.id}/pay?cancelled=1`] }),
  '/bookings/[id]/receipt': (w) => ({ client: [`/bookings/${w.paid.id}/receipt?paid=1`] }),
  '/coops/[slug]': (w) => ({ public: [`/coops/${w.coop.slug}`] }),
  '/coops/apply': () => ({ client: ['/coops/apply'] }),
  '/dashboard': () => ({ client: ['/dashboard'], admin: ['/dashboard'], worker: ['/dashboard'] }),
  '/dashboard/coops/[id]': (w) => ({ admin: [dash(w)] }),
  '/dashboard/coops/[id]/bookings': (w) => ({ admin: [`${dash(w)}/bookings`] }),
  '/dashboard/coops/[id]/earnings': (w) => ({ admin: [`${dash(w)}/earnings`] }),
  '/dashboard/coops/[id]/payments': (w) => ({ admin: [`${dash(w)}/payments`] }),
  '/dashboard/coops/[id]/listings/new': (w) => ({ admin: [`${dash(w)}/listings/new`] }),
  '/dashboard/coops/[id]/listings/[listingId]/edit': (w) => ({ admin: [`${dash(w)}/listings/${w.listingId}/edit`] }),
  '/dashboard/coops/[id]/listings/[listingId]/availability': (w) => ({ admin: [`${dash(w)}/listings/${w.listingId}/availability`] }),
  '/dev/mailbox': () => ({ public: ['/dev/mailbox'] }),
  '/fees': () => ({ public: ['/fees'] }),
  '/forgot-password': () => ({ public: ['/forgot-password'] }),
  '/how-ranking-works': () => ({ public: ['/how-ranking-works'] }),
  '/invitations/[token]': (w) => ({ public: [`/invitations/${w.invitationToken}`] }),
  // With a slot chosen the booking form (and the once / regular choice) shows.
  '/listings/[id]': (w) => ({
    public: [`/listings/${w.listingId}`, `/listings/${w.listingId}?slot=${encodeURIComponent(w.freeSlot)}`],
    client: [`/listings/${w.listingId}?slot=${encodeURIComponent(w.freeSlot)}`],
  }),
  '/listings/[id]/regular': (w) => ({ client: [`/listings/${w.listingId}/regular?${w.seriesQuery}`] }),
  '/membership': () => ({ client: ['/membership'], worker: ['/membership'] }),
  '/messages': (w) => ({ client: ['/messages'], admin: ['/messages', `/messages?coop=${w.coopId}`], steward: ['/messages?reported=1'] }),
  '/messages/[id]': (w) => ({ client: [`/messages/${w.conversationId}`], admin: [`/messages/${w.conversationId}`] }),
  '/messages/new': (w) => ({ client: [`/messages/new?listing=${w.listingId}`, `/messages/new?coop=${w.coop.slug}`] }),
  '/reset-password/[token]': (w) => ({ public: [`/reset-password/${w.resetToken}`] }),
  // Opening the link confirms at once; a used or made-up one says so (the state checked here).
  '/confirm-email/[token]': () => ({ public: [`/confirm-email/${'x'.repeat(43)}`] }),
  '/search': () => ({ public: ['/search', '/search?q=m%C3%A9nage'] }),
  '/series/[id]': (w) => ({ client: [`/series/${w.seriesId}`], admin: [`/series/${w.seriesId}`] }),
  '/sign-in': () => ({ public: ['/sign-in', '/sign-in?reset=1'] }),
  '/sign-out': () => ({ client: ['/sign-out'] }),
  '/sign-up': () => ({ public: ['/sign-up'] }),
  '/statements': () => ({ worker: ['/statements'], admin: ['/statements'] }),
  '/statements/[year]': (w) => ({ worker: w.statementYears.map((y) => `/statements/${y}`) }),
  '/steward': () => ({ steward: ['/steward'] }),
  '/steward/assembly': () => ({ steward: ['/steward/assembly'] }),
  '/steward/fees': () => ({ steward: ['/steward/fees'] }),
  '/steward/fiscal': () => ({ steward: ['/steward/fiscal'] }),
  '/steward/fiscal/[id]': (w) => ({ steward: w.fiscalYearId ? [`/steward/fiscal/${w.fiscalYearId}`, `/steward/fiscal/${w.fiscalYearId}?close=1`] : [] }),
  '/steward/fiscal/settings': () => ({ steward: ['/steward/fiscal/settings'] }),
  '/steward/ledger': () => ({ steward: ['/steward/ledger'] }),
  '/steward/members': () => ({ steward: ['/steward/members'] }),
  '/steward/plans/[id]': (w) => ({ steward: w.planIds.map((id) => `/steward/plans/${id}`) }),
  '/time-off': () => ({ worker: ['/time-off'] }),
  '/transparency': () => ({ public: ['/transparency'] }),
  '/verify-email': () => ({ client: ['/verify-email'] }),
  '/verify-email/[token]': (w) => ({ client: [`/verify-email/${w.verifyToken}`] }),
  '/visits': () => ({ worker: ['/visits', '/visits?coming=2'] }),
};

/** Routes that answer with something other than a page (files, redirects): nothing for axe to read. */
const NOT_PAGES: Record<string, string> = {
  '/account/data/[token]/archive': 'the data archive file',
  '/calendar/[file]': 'an iCalendar file',
  '/lang': 'sets the language cookie and redirects',
  '/dashboard/coops/[id]/listings': 'redirects to the listings on the co-op\u2019s dashboard',
  '/statements/csv': 'a CSV file',
  '/steward/statements.csv': 'a CSV file',
};

/** Every route id of web/src/routes: folders holding a +page.svelte or a +server.ts. */
function routeIds(): string[] {
  const root = path.resolve('web/src/routes');
  const ids: string[] = ['(error)'];
  const walk = (dir: string) => {
    const names = readdirSync(dir);
    if (names.includes('+page.svelte') || names.includes('+server.ts')) ids.push('/' + path.relative(root, dir).split(path.sep).join('/'));
    for (const n of names) if (statSync(path.join(dir, n)).isDirectory()) walk(path.join(dir, n));
  };
  walk(root);
  return ids.map((id) => (id === '/' ? '/' : id.replace(/\/$/, '')));
}

const LAPTOP = { width: 1280, height: 800 } as const;
/** Pages whose look a fix changed: kept as screenshots (fr, 390 px) for a person to look at. */
const SHOTS = new Set(['/page-qui-n-existe-pas', '/sign-in', '/dashboard']);
let browser: Browser;
let world: A11yWorld;
const failures: Record<string, string[]> = {};
const visited = new Set<string>();
const menuSeen = new Set<string>();

/** Each path in French then English: loaded once per language, axe at 390 px and at 1280 px. */
async function check(page: Page, role: Role, paths: string[]): Promise<void> {
  const web = inject('webUrl');
  for (const p of paths) {
    for (const lang of ['fr', 'en'] as const) {
      await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: lang, url: web }]);
      await page.setViewportSize(PHONE);
      const res = await page.goto(web + p);
      if (res && res.status() < 500) await hydrated(page).catch(() => undefined);
      expect(await page.getAttribute('html', 'lang'), `${p} in ${lang}`).toBe(lang);
      for (const size of [PHONE, LAPTOP]) {
        await page.setViewportSize(size);
        const found = await axeViolations(page);
        if (size === PHONE && lang === 'fr' && SHOTS.has(p)) await screenshot(page, `a11y-${role}-fr-390-${p.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`);
        // The phone's menu panel, once per person and language: its links are hidden until opened.
        if (size === PHONE && !menuSeen.has(`${role} ${lang}`)) {
          menuSeen.add(`${role} ${lang}`);
          const menu = page.getByTestId('site-menu');
          if (await menu.count()) {
            await menu.evaluate((d) => ((d as HTMLDetailsElement).open = true));
            found.push(...(await axeViolations(page)).map((v) => `(menu open) ${v}`));
            await menu.evaluate((d) => ((d as HTMLDetailsElement).open = false));
          }
        }
        if (found.length) {
          failures[`${role} ${p} ${lang} ${size.width}`] = found;
          await screenshot(page, `a11y-${role}-${lang}-${size.width}-${p.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`);
        }
      }
    }
  }
}

function pathsFor(role: Role): string[] {
  const out: string[] = [];
  for (const [id, how] of Object.entries(ROUTES)) {
    const paths = how(world)[role] ?? [];
    if (paths.length) visited.add(id);
    out.push(...paths);
  }
  return out;
}

async function asRole(role: Role, email?: string, password?: string): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, locale: 'fr-CA', timezoneId: 'America/Toronto' });
  const page = await context.newPage();
  if (email) await signIn(page, email, password);
  return page;
}

beforeAll(async () => {
  browser = await launchBrowser();
  world = await buildA11yWorld();
});
afterAll(() => browser?.close());

describe('every page passes axe-core WCAG 2.1 AA, fr and en, 390 and 1280 px', () => {
  it('the table names every route of web/src/routes', () => {
    const missing = routeIds().filter((id) => !(id in ROUTES) && !(id in NOT_PAGES));
    expect(missing, 'add these routes to ROUTES (or NOT_PAGES, with why)').toEqual([]);
  });

  it('signed out', async () => {
    const page = await asRole('public');
    await check(page, 'public', pathsFor('public'));
    await page.context().close();
  }, 600_000);

  it('as a client', async () => {
    const page = await asRole('client', world.client.email, world.client.password);
    await payInBrowser(page, world.paid.id);
    // Signing out last: its page is a form, and the visit does not sign out.
    await check(page, 'client', pathsFor('client'));
    await page.context().close();
  }, 600_000);

  it('as the co-op admin', async () => {
    const page = await asRole('admin', ADMIN);
    await check(page, 'admin', pathsFor('admin'));
    await page.context().close();
  }, 600_000);

  it('as a worker', async () => {
    const page = await asRole('worker', WORKER);
    await check(page, 'worker', pathsFor('worker'));
    await page.context().close();
  }, 600_000);

  it('as the steward', async () => {
    const page = await asRole('steward', STEWARD);
    await check(page, 'steward', pathsFor('steward'));
    await page.context().close();
  }, 600_000);

  it('every route in the table was visited, and no page has a violation', () => {
    expect(Object.keys(ROUTES).filter((id) => !visited.has(id)), 'routes whose paths came out empty').toEqual([]);
    expect(failures).toEqual({});
  });
});
