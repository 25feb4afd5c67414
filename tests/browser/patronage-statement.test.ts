/**
 * Issue 5 in the browser, on the demo seed's paid year (the one before last): a worker-member reads her patronage
 * statement on her phone (refund and rate per hour as the API has them, twelve months, the CSV,
 * the English explanation), anyone reads the public transparency page, and the demo client votes
 * once on the open assembly proposal; a newcomer joins by paying the share through the Stripe
 * emulator's Checkout. Every figure is compared with the API's own answer.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Proposal, Statement } from '@tissu/shared';
import { launchBrowser, screenshot } from '../support/browser.js';
import {
  apiAs,
  frCad,
  goto,
  hydrated,
  phone,
  publicGet,
  signIn,
  signUpClient,
  squeeze,
  webhooksDelivered,
  type ApiSession,
} from '../support/booking-world.js';
import { demoYears } from '../../scripts/seed/patronage-data.js';

const WORKER = 'travailleuse@tissu.demo';
const CLIENT = 'client@tissu.demo';
/** The demo's paid year, as text ('2024' in 2026). */
const PAID = String(demoYears().paid);

let browser: Browser;
let worker: ApiSession;
let statement: Statement;

/** The part of GET /transparency this test reads. */
interface TransparencyYears {
  years: { label: string; figures: { surplusCents: number }; returnedToMembersCents: number | null }[];
}

/** "$1.23" squeezed, as an English page writes it. */
const enCad = (cents: number) => `$${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

beforeAll(async () => {
  browser = await launchBrowser();
  worker = await apiAs(WORKER);
  const { statements } = await worker.get<{ statements: Statement[] }>(`/patronage/statements?year=${PAID}`);
  expect(statements.length).toBeGreaterThan(0);
  statement = statements.find((s) => s.memberClass === 'worker')!;
  expect(statement).toBeTruthy();
  expect(statement.rate?.per).toBe('hour');
});
afterAll(() => browser?.close());

describe('a worker-member and her patronage statement of the paid year', () => {
  it('shows her refund and the rate per hour as the API computed them, twelve months, the CSV, and the English explanation', async () => {
    const { context, page } = await phone(browser);
    await signIn(page, WORKER);

    await goto(page, '/statements');
    await page.getByTestId('statement-year-link').filter({ hasText: PAID }).first().click();
    await page.waitForURL(new RegExp(`/statements/${PAID}$`));
    await hydrated(page);

    const article = page.locator(`[data-testid=statement][data-membership-id="${statement.membershipId}"]`);
    expect(squeeze(await article.getByTestId('statement-refund').innerText())).toBe(frCad(statement.allocationCents));
    expect(squeeze(await article.getByTestId('statement-net').innerText())).toBe(frCad(statement.netPaidCents));
    const rate = article.getByTestId('statement-rate');
    expect(await rate.getAttribute('data-cents')).toBe(String(statement.rate!.cents));
    expect(squeeze(await rate.innerText())).toBe(squeeze(`${frCad(statement.rate!.cents)} par heure livrée`));
    expect(squeeze(await article.getByTestId('calc-carry-forward').locator('td').innerText())).toBe(frCad(statement.carryForwardCents));
    expect(squeeze(await article.getByTestId('calc-withholding').locator('td').innerText())).toBe(frCad(statement.withholdingCents));

    // The chart's data table: twelve months whose hours add up to her patronage.
    const chart = article.getByTestId('patronage-chart');
    const rows = chart.locator('tbody tr');
    expect(await rows.count()).toBe(12);
    const monthly = statement.months.reduce((sum, m) => sum + m.units, 0);
    expect(monthly).toBe(statement.patronageUnits);
    // With JavaScript, Chart.js has drawn the canvas over the table.
    await chart.locator('.canvas-box.drawn canvas').waitFor();

    const steps = article.getByTestId('statement-explanation');
    expect(squeeze(await steps.innerText())).toContain(squeeze(`soit ${frCad(statement.allocationCents)}`));
    await screenshot(page, 'patronage-statement-fr');

    // The CSV, through the web with her session: her line, with her figures in dollars.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('statement-csv').click()]);
    expect(download.suggestedFilename()).toBe(`ristournes-${PAID}.csv`);
    const csv = await readFile((await download.path())!, 'utf8');
    // A French page gives a French CSV: ";" between columns, decimal commas, hours, plain numbers.
    const [header, ...lines] = csv.replace(/^\uFEFF/, '').trim().split(/\r\n/);
    const columns = header!.split(';');
    expect(columns).toContain('Ristourne ($)');
    const line = lines.find((l) => l.includes(statement.membershipId));
    expect(line).toBeTruthy();
    const cells = line!.split(';');
    const frNumber = (cents: number) => (cents / 100).toFixed(2).replace('.', ',');
    expect(cells[columns.indexOf('Ristourne ($)')]).toBe(frNumber(statement.allocationCents));
    expect(cells[columns.indexOf('Patronage')]).toBe(String(statement.patronageUnits / 60).replace('.', ','));
    expect(cells[columns.indexOf('Reporté ($)')]).toBe(frNumber(statement.carryForwardCents));

    // In English: the same numbers, and the steps in plain English.
    await page.getByTestId('lang-switch').click();
    await page.waitForURL(new RegExp(`/statements/${PAID}$`));
    await hydrated(page);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(squeeze(await article.getByTestId('statement-refund').innerText())).toBe(enCad(statement.allocationCents));
    expect(squeeze(await article.getByTestId('statement-rate').innerText())).toBe(squeeze(`${enCad(statement.rate!.cents)} per hour delivered`));
    const english = await article.getByTestId('statement-explanation').innerText();
    expect(english).toContain('How we get to your patronage refund');
    expect(english).toContain('Your patronage refund is your share of the class pool');
    // Up or down, as the largest-remainder split went for her this year: the step says which.
    expect(squeeze(english)).toMatch(new RegExp(`rounded(up|down)tothecent,${squeeze(enCad(statement.allocationCents)).replace(/[$.]/g, '\\$&')}`));
    await screenshot(page, 'patronage-statement-en');
    await context.close();
  });

  it('lets her redo every step of her refund with a calculator, to the cent', async () => {
    const { context, page } = await phone(browser);
    await signIn(page, WORKER);
    await goto(page, `/statements/${PAID}`);
    const article = page.locator(`[data-testid=statement][data-membership-id="${statement.membershipId}"]`);
    const step = async (key: string) => squeeze(await article.locator(`[data-testid=statement-explanation] li[data-step="${key}"]`).innerText());
    // A French figure as written on the page, in hundredths (cents, hundredths of an hour or of a percent).
    const N = '(\\d+(?:,\\d+)?)';
    const hundredths = (fr: string) => {
      const [whole, frac = ''] = fr.split(',');
      return Number(whole) * 100 + Number(frac.slice(0, 2).padEnd(2, '0'));
    };
    // "815,6776…" → the exact value a × b ÷ c must start with these digits.
    const startsExact = (shown: string, a: number, b: number, c: number) => {
      const [whole, frac = ''] = shown.replace('…', '').split(',');
      const scale = 10n ** BigInt(frac.length);
      const truncated = (BigInt(a) * BigInt(b) * scale) / (BigInt(c) * 100n);
      expect(truncated).toBe(BigInt(whole!) * scale + BigInt(frac || '0'));
      // The "…" is there exactly when digits were left out.
      expect(shown.endsWith('…')).toBe((BigInt(a) * BigInt(b) * scale) % (BigInt(c) * 100n) !== 0n);
    };
    const ceil = (a: number, b: number, c: number) => Math.ceil((a * b) / c - 1e-9);

    // Reserve: 20 % × surplus = exact, rounded UP; pool = surplus − reserve.
    const reserve = (await step('reserve')).match(new RegExp(`${N}%×${N}\\$=${N}(…?)\\$,arrondiaucentsupérieur,soit${N}\\$.*Ilreste${N}\\$−${N}\\$=${N}\\$`));
    expect(reserve).toBeTruthy();
    const [, pct, surplus, reserveExact, dots, reserveShown, surplus2, reserve2, pool] = reserve!;
    const bps = hundredths(pct!);
    startsExact(reserveExact! + dots!, hundredths(surplus!), bps, 10_000);
    expect(hundredths(reserveShown!)).toBe(ceil(hundredths(surplus!), bps, 10_000));
    expect([surplus2, reserve2]).toEqual([surplus, reserveShown]);
    expect(hundredths(pool!)).toBe(hundredths(surplus!) - hundredths(reserveShown!));

    // Her share: hours ÷ class hours × class pool = exact, rounded to the cent shown as her refund.
    const share = (await step('share')).match(new RegExp(`${N}h÷${N}h×${N}\\$=${N}(…?)\\$,arrondiaucent(supérieur|inférieur),soit${N}\\$`));
    expect(share).toBeTruthy();
    const [, hours, classHours, classPool, shareExact, shareDots, direction, allocation] = share!;
    const minutes = (h: string) => (hundredths(h) * 60) / 100;
    expect(minutes(hours!)).toBe(statement.patronageUnits);
    expect(minutes(classHours!)).toBe(statement.classUnits);
    startsExact(shareExact! + shareDots!, minutes(hours!), hundredths(classPool!), minutes(classHours!));
    const floor = Math.floor((minutes(hours!) * hundredths(classPool!)) / minutes(classHours!));
    expect(hundredths(allocation!)).toBe(direction === 'supérieur' ? floor + 1 : floor);
    expect(frCad(hundredths(allocation!))).toBe(squeeze(await article.getByTestId('statement-refund').innerText()));

    // Cash part: 40 % × refund, rounded UP; retained = refund − cash.
    const cash = (await step('cash')).match(new RegExp(`${N}%×${N}\\$=${N}(…?)\\$,arrondiaucentsupérieur,soit${N}\\$.*Lereste,${N}\\$−${N}\\$=${N}\\$`));
    expect(cash).toBeTruthy();
    const [, cashPct, refund, cashExact, cashDots, cashShown, refund2, cash2, retained] = cash!;
    expect(refund).toBe(allocation);
    startsExact(cashExact! + cashDots!, hundredths(refund!), hundredths(cashPct!), 10_000);
    expect(hundredths(cashShown!)).toBe(ceil(hundredths(refund!), hundredths(cashPct!), 10_000));
    expect([refund2, cash2]).toEqual([refund, cashShown]);
    expect(hundredths(retained!)).toBe(hundredths(refund!) - hundredths(cashShown!));

    // Withholding: 15 % × (paid − 100 $), to the nearest cent; net = paid − withholding.
    const tax = (await step('withholding')).match(new RegExp(`${N}%×\\(${N}\\$−${N}\\$\\)=${N}(…?)\\$,arrondiaucentleplusproche,soit${N}\\$.*Vousrecevez${N}\\$−${N}\\$=${N}\\$`));
    expect(tax).toBeTruthy();
    const [, taxPct, paid, exempt, taxExact, taxDots, withheld, paid2, withheld2, net] = tax!;
    expect(paid).toBe(cashShown);
    const beyond = hundredths(paid!) - hundredths(exempt!);
    startsExact(taxExact! + taxDots!, beyond, hundredths(taxPct!), 10_000);
    expect(hundredths(withheld!)).toBe(Math.round((beyond * hundredths(taxPct!)) / 10_000));
    expect([paid2, withheld2]).toEqual([paid, withheld]);
    expect(frCad(hundredths(paid!) - hundredths(withheld!))).toBe(frCad(hundredths(net!)));
    expect(frCad(hundredths(net!))).toBe(squeeze(await article.getByTestId('statement-net').innerText()));
    await context.close();
  });

  it('shows the paid year on the public transparency page, linked from the footer', async () => {
    const report = await publicGet<TransparencyYears>('/transparency');
    const year = report.years.find((y) => y.label === PAID);
    expect(year).toBeTruthy();

    const { context, page } = await phone(browser);
    await goto(page, '/');
    await page.getByTestId('footer-transparency').click();
    await page.waitForURL(/\/transparency$/);
    const section = page.locator(`[data-testid=transparency-year][data-year="${PAID}"]`);
    await section.waitFor();
    expect(squeeze(await section.getByTestId('transparency-surplus').innerText())).toBe(frCad(year!.figures.surplusCents));
    if (year!.returnedToMembersCents !== null) {
      expect(squeeze(await section.getByTestId('transparency-returned').innerText())).toBe(frCad(year!.returnedToMembersCents));
    }
    expect(await page.getByTestId('transparency-chart').locator('tbody tr').count()).toBe(report.years.length);
    await screenshot(page, 'transparency-fr');
    await context.close();
  });
});

describe('the demo client at the assembly', () => {
  it('votes once on the open proposal; a second ballot is refused', async () => {
    const client = await apiAs(CLIENT);
    const { open } = await client.get<{ open: Proposal[] }>('/proposals');
    const proposal = open.find((p) => p.canVoteAs.length > 0);
    expect(proposal).toBeTruthy();

    const { context, page } = await phone(browser);
    await signIn(page, CLIENT);
    await goto(page, '/assembly');
    // A second tab opened before the vote still shows the form: it is how a second ballot would come.
    const stale = await context.newPage();
    await stale.goto(page.url());
    await hydrated(stale);

    const card = page.locator(`[data-testid=proposal][data-proposal-id="${proposal!.id}"]`);
    await card.getByTestId('vote-yes').check();
    await screenshot(page, 'assembly-vote-fr');
    await card.getByTestId('vote-submit').click();
    await expect.poll(() => card.getByTestId('my-votes').innerText()).toContain('Pour');
    expect(await card.getByTestId('vote-form').count()).toBe(0);
    expect(await card.getByTestId('proposal-votes-cast').innerText()).toContain(String(proposal!.votesCast + 1));
    await screenshot(page, 'assembly-voted-fr');

    const staleCard = stale.locator(`[data-testid=proposal][data-proposal-id="${proposal!.id}"]`);
    await staleCard.getByTestId('vote-no').check();
    await staleCard.getByTestId('vote-submit').click();
    await expect.poll(() => staleCard.locator('.alert-error').innerText()).toContain('déjà voté');

    const after = await client.get<{ open: Proposal[] }>('/proposals');
    const mine = after.open.find((p) => p.id === proposal!.id)!;
    expect(mine.myVotes.map((v) => v.choice)).toEqual(['yes']);
    expect(mine.votesCast).toBe(proposal!.votesCast + 1);
    await expect(client.post(`/proposals/${proposal!.id}/votes`, { choice: 'no' })).rejects.toThrow(/409|already/i);
    await context.close();
  });
});

describe('a newcomer joining the co-op', () => {
  it('pays the user-member share through Checkout and then sees the membership and its capital', async () => {
    const person = await signUpClient('Nouvelle Membre');
    const api = await apiAs(person.email, person.password);
    expect((await api.get<{ memberships: unknown[] }>('/membership')).memberships).toEqual([]);

    const { context, page } = await phone(browser);
    await signIn(page, person.email, person.password);
    await goto(page, '/membership');
    await page.getByTestId('member-classes').waitFor();
    // The share's price shows before leaving for Stripe: with the class, and on the button.
    const share = page.getByTestId('join-share-user');
    const shareCents = Number(await share.getAttribute('data-cents'));
    expect(shareCents).toBeGreaterThan(0);
    expect(squeeze(await share.innerText())).toBe(squeeze(`Part de qualification : ${frCad(shareCents)}`));
    await page.getByTestId('join-class-user').check();
    expect(squeeze(await page.getByTestId('join-submit').innerText())).toBe(squeeze(`Payer ma part de ${frCad(shareCents)} et adhérer`));
    await screenshot(page, 'membership-join-fr');
    await page.getByTestId('join-submit').click();
    await page.waitForURL((u) => u.href.startsWith(`${inject('stripeUrl')}/checkout/`));
    await page.getByRole('button', { name: /Payer .* \/ Pay/ }).click();
    await page.waitForURL(/\/membership\?joined=1/);
    await webhooksDelivered();
    await goto(page, '/membership?joined=1');

    const { memberships } = await api.get<{ memberships: { id: string; memberClass: string; capitalCents: number; shareCents: number }[] }>('/membership');
    expect(memberships).toHaveLength(1);
    expect(memberships[0]).toMatchObject({ memberClass: 'user' });
    const card = page.getByTestId('membership');
    expect(await card.getAttribute('data-class')).toBe('user');
    expect(squeeze(await card.getByTestId('membership-capital').innerText())).toBe(frCad(memberships[0]!.capitalCents));
    expect(memberships[0]!.capitalCents).toBe(memberships[0]!.shareCents);
    await page.getByTestId('membership-joined').waitFor();
    await screenshot(page, 'membership-joined-fr');
    await context.close();
  });
});
