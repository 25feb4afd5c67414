/**
 * `pnpm bench`: a bare Fastify route (the machine's ceiling), sign-in one at a time, the search
 * benchmark (10,000 listings, SQL and API at the same concurrency, then the mixes on 100,000
 * listings), the booking benchmarks (slot computation, booking creation), paid bookings through
 * the Stripe emulator, the web's listing page (render time, JavaScript shipped), signed-in pages on
 * the demo data (server time), photos (one served from disk, through the API and the web; the listing
 * page with 8 photos against none), regular visits (the horizon job on 10,000 series; the listing page
 * with 200 series on its calendar against the same listing without) and patronage (allocation among 100,000 members; closing a year of
 * 1,000,000 completed bookings and 10,000 members), on one PostgreSQL, then one table. Several
 * minutes on two cores; loopback only. Name parts to run only those.
 *
 *   pnpm bench [ceiling] [auth] [search] [bookings] [conversations] [series] [payments] [web] [pages] [photos] [patronage] [--seconds 10] [--connections 10] [--listings 10000] [--large-listings 100000] [--bookings 1000000] [--series 10000] [--horizon-workers 3]
 *
 * Without DATABASE_URL an embedded PostgreSQL is started in a temporary folder and deleted at
 * the end; with it, scratch databases are created on that server and dropped.
 */
import { performance } from 'node:perf_hooks';
import { benchSignIn, signInFigures } from './auth.js';
import { benchCreate, benchSlots, bookingFigures } from './bookings.js';
import { benchCeiling } from './ceiling.js';
import { benchPaidBookings } from './payments.js';
import { benchWeb } from './web.js';
import { benchPages, pagesFigures } from './pages.js';
import { jsFigures } from './web-js.js';
import { loadAverage } from './measure.js';
import { benchServer } from './scratch-db.js';
import { benchPatronage, benchPatronageClose, patronageFigures } from './patronage.js';
import { benchSearch, searchFigures } from './search.js';
import { benchSeries, seriesFigures } from './series.js';
import { benchCalendar, calendarFigures } from './calendar.js';
import { benchConversations, conversationsFigures } from './conversations.js';
import { benchPhotos, photosFigures } from './photos.js';
import { figuresTable, target, type Figure } from './table.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const seconds = flag('seconds', 10);
const connections = flag('connections', 10);
const listings = flag('listings', 10_000);
const largeListings = flag('large-listings', 100_000);
const yearBookings = flag('bookings', 1_000_000);
const seriesCount = flag('series', 10_000);
const horizonWorkers = flag('horizon-workers', 0) || undefined;
const PARTS = ['ceiling', 'auth', 'search', 'bookings', 'conversations', 'series', 'payments', 'web', 'pages', 'photos', 'patronage'] as const;
const named = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
const unknown = named.filter((a) => !(PARTS as readonly string[]).includes(a));
if (unknown.length > 0) {
  console.error(`Unknown part ${unknown.join(', ')}: choose among ${PARTS.join(', ')}`);
  process.exit(2);
}
const runs = (part: (typeof PARTS)[number]) => named.length === 0 || named.includes(part);
const started = performance.now();
const loadBefore = loadAverage();
console.log(`Load average before: ${loadBefore}`);

const server = await benchServer(process.env.DATABASE_URL || undefined);
try {
  console.log(`PostgreSQL: ${server.description}`);
  const figures: Figure[] = [];
  const measured = [];
  const notes: string[] = [];
  if (runs('ceiling')) {
    console.log('ceiling: a bare Fastify route');
    const ceiling = await benchCeiling({ seconds, connections });
    figures.push({ scenario: 'bare Fastify route (the ceiling here)', via: 'api', ...ceiling });
    measured.push(ceiling);
  }
  if (runs('auth')) {
    console.log('auth: sign-in, one at a time');
    const signIn = await benchSignIn(server);
    figures.push(...signInFigures(signIn));
    measured.push(signIn);
  }
  if (runs('search')) {
    const search = await benchSearch(server, { listings, seconds, connections });
    figures.push(...searchFigures(search, listings));
    measured.push(...search.flatMap((r) => [r.sql, r.api]));
    // As the listings grow: the mixes again on 100,000 listings (issue 11's new scenario).
    const large = await benchSearch(server, { listings: largeListings, seconds, connections, mixesOnly: true });
    figures.push(...searchFigures(large, largeListings));
    measured.push(...large.flatMap((r) => [r.sql, r.api]));
  }
  if (runs('bookings')) {
    console.log('bookings: slot computation');
    const slots = benchSlots();
    console.log(`bookings: booking creation (load average ${loadAverage()})`);
    const create = await benchCreate(server, { seconds, connections });
    figures.push(...bookingFigures(slots, create));
    measured.push(create);
  }
  if (runs('conversations')) {
    console.log(`conversations: posting messages, then the header's unread count (load average ${loadAverage()})`);
    const conversations = await benchConversations(server, { seconds, connections });
    figures.push(...conversationsFigures(conversations));
    measured.push(conversations.post, conversations.waiting);
  }
  if (runs('series')) {
    console.log(`series: seeding ${seriesCount.toLocaleString('en')} weekly series, then making their next visits (load average ${loadAverage()})`);
    const series = await benchSeries(server, { series: seriesCount, workers: horizonWorkers });
    console.log(`series: seeded in ${(series.seedMs / 1000).toFixed(1)} s`);
    figures.push(...seriesFigures(series));
  }
  if (runs('payments')) {
    console.log(`payments: book, Checkout, pay on the emulator, signed webhook (load average ${loadAverage()})`);
    const paid = await benchPaidBookings(server, { seconds, connections });
    figures.push({ scenario: 'paid bookings via the Stripe emulator (req/s = paid bookings/s)', via: 'api', ...paid });
    measured.push(paid);
    notes.push(`ledger check after the paid bookings: ${paid.ledgerOk ? 'ok' : 'FAILED'}`);
    if (!paid.ledgerOk) process.exitCode = 1;
  }
  if (runs('web')) {
    console.log(`web: building, then the listing page (load average ${loadAverage()})`);
    const web = await benchWeb(server, { seconds, connections });
    const one = web.renderSequential;
    figures.push({ scenario: 'listing page server render, one at a time', via: 'web', ...one, target: target('p50 <= 30 ms', one.p50 <= 30) });
    figures.push({ scenario: 'listing page server render under load', via: 'web', ...web.render, target: target('>= 60/s, p95 <= 250 ms', web.render.rps >= 60 && web.render.p95 <= 250) });
    measured.push(web.render, web.renderSequential);
    const js = jsFigures(web.listingJs, web.build);
    figures.push(...js.figures);
    notes.push(...js.notes);
  }
  if (runs('pages')) {
    console.log(`pages: signed-in pages on the demo data, one at a time (load average ${loadAverage()})`);
    const pages = await benchPages(server, { build: !runs('web') }); // the web part has just built it
    figures.push(...pagesFigures(pages));
    measured.push(...pages.map((p) => p.measured));
  }
  if (runs('series')) {
    console.log(`series: the listing page with 200 series on its calendar, and without (load average ${loadAverage()})`);
    const calendar = await benchCalendar(server, { build: !runs('web') && !runs('pages') }); // those parts have just built it
    figures.push(...calendarFigures(calendar));
    measured.push(calendar.page.with, calendar.page.without, calendar.slots.with, calendar.slots.without);
  }
  if (runs('photos')) {
    console.log(`photos: a photo from disk (API, then the web's proxy), the listing page with 8 photos and without (load average ${loadAverage()})`);
    const photos = await benchPhotos(server, { seconds, connections, build: !runs('web') && !runs('pages') && !runs('series') });
    figures.push(...photosFigures(photos));
    measured.push(photos.api, photos.web, photos.page.with, photos.page.without);
  }
  if (runs('patronage')) {
    console.log('patronage: allocation among 100,000 members');
    const alloc = benchPatronage();
    console.log(`patronage: seeding ${yearBookings.toLocaleString('en')} completed bookings, then closing the year (load average ${loadAverage()})`);
    const close = await benchPatronageClose(server, { bookings: yearBookings });
    console.log(`patronage: seeded in ${(close.seedMs / 1000).toFixed(1)} s; the nightly job computed the year's months in ${(close.keepMs / 1000).toFixed(2)} s (once, untimed below); then December changed, and the close froze ${close.measures.toLocaleString('en')} monthly measures`);
    figures.push(...patronageFigures(alloc, close));
  }

  console.log('');
  console.log(`${listings} listings · ${connections} concurrent connections · single-scenario runs ${Math.max(1, seconds / 4)} s, mixes and booking creation ${seconds} s`);
  console.log('sql = the one search statement (page with its photos, and capped count) the listings service sends, via postgres.js (patronage: the fiscal and plans services on PostgreSQL, one run); api = HTTP to the API in its own process (autocannon or a closed loop, log level warn); web = HTTP to the SvelteKit server (which calls the API); code = in-process');
  console.log(figuresTable(figures));
  for (const note of notes) console.log(note);
  const failures = measured.filter((m) => m.firstFailure);
  for (const m of failures) console.log(`first failure: ${m.firstFailure}`);
  console.log(`Load average before: ${loadBefore}; after: ${loadAverage()}; ${((performance.now() - started) / 1000).toFixed(0)} s in all`);
  if (failures.length > 0) process.exitCode = 1;
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await server.stop();
}
// A part that failed can leave a child or a socket open; once the table (or the error) is out, end
// anyway rather than hang (an unref'd timer does not itself keep the process alive).
setTimeout(() => process.exit(), 2_000).unref();
