import fp from 'fastify-plugin';
import PgBoss from 'pg-boss';
import type { Config } from './env.js';
import { dispatchOutbox } from '../modules/notifications/index.js';
import { createCheckoutService, createLatePayments, createSavedCards } from '../modules/payments/index.js';
import { createShareFees } from '../modules/membership/index.js';
import { createTipFees } from '../modules/tips/index.js';
import { createBookingPayments } from '../flows/booking-payments.js';
import { createQuotesService } from '../modules/quotes/index.js';
import { createAssembly } from '../flows/assembly-decisions.js';
import { forgetOldKeys } from '../idempotency.js';
import { extendHorizons } from '../modules/series/index.js';
import { createDataExports } from '../modules/data-export/index.js';
import { purgeExpired } from '../modules/privacy/index.js';
import { keepMonthsUpToDate } from '../modules/fiscal/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    jobs: { wake(): void; buildExports(): void; boss: PgBoss | null };
  }
}

const DISPATCH = 'outbox-dispatch';
const EXPIRE = 'bookings-expire';
const CLOSE_VOTES = 'proposals-close';
const CHARGE_DETAILS = 'payments-charge-details';
const FORGET_KEYS = 'idempotency-forget';
const SERIES_HORIZON = 'series-horizon';
const SERIES_CHARGES = 'series-charges';
const DATA_EXPORTS = 'data-exports-build';
const DATA_EXPORTS_EXPIRE = 'data-exports-expire';
const PURGE = 'retention-purge';
const PATRONAGE_MONTHS = 'patronage-months';

/**
 * Background work on pg-boss, a queue kept in PostgreSQL: every API instance can run it, and a job
 * is handed to one worker at a time. Emails go out from the outbox; unanswered requests expire;
 * votes whose window is over are decided; Stripe's fee is read again for payments that lack it, and
 * money paid for a booking no longer waiting for it is refunded when Stripe could not at once.
 * Each also runs every minute, so nothing waits on a wake-up that was lost in a crash. Once an
 * hour, idempotency keys older than a day are forgotten.
 */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    if (!config.jobs) {
      app.decorate('jobs', { wake() {}, buildExports() {}, boss: null });
      return;
    }
    const boss = new PgBoss({ connectionString: app.database.url, max: 4, application_name: 'tissu-jobs' });
    boss.on('error', (err) => app.log.error({ err }, 'job queue error'));
    await boss.start();
    for (const name of [DISPATCH, EXPIRE, CLOSE_VOTES, CHARGE_DETAILS]) {
      await boss.createQueue(name);
      await boss.schedule(name, '* * * * *');
    }
    await boss.createQueue(FORGET_KEYS);
    await boss.schedule(FORGET_KEYS, '17 * * * *');
    await boss.createQueue(SERIES_HORIZON);
    await boss.schedule(SERIES_HORIZON, '7 * * * *');
    const bookings = createBookingPayments({ db: app.db, gateway: app.payments, paymentWindowHours: config.paymentWindowHours });
    await boss.work(DISPATCH, async () => {
      const r = await dispatchOutbox(app.db, app.mailer, { webOrigin: config.webOrigin });
      if (r.sent || r.failed) app.log.info(r, 'outbox dispatched');
    });
    const quotes = createQuotesService({ db: app.db });
    await boss.work(EXPIRE, async () => {
      const n = await bookings.expireRequests();
      if (n) app.log.info({ expired: n }, 'booking requests expired');
      const q = await quotes.expireDue();
      if (q) app.log.info({ expired: q }, 'quote requests expired');
      await boss.send(DISPATCH, {});
    });
    // Votes whose window is over are decided within a minute, even if no steward closes them.
    const assembly = createAssembly({ db: app.db, now: () => new Date() });
    await boss.work(CLOSE_VOTES, async () => {
      const n = await assembly.closeDue();
      if (n) app.log.info({ decided: n }, 'votes closed');
    });
    // Stripe's fee and the transfer id, when they could not be read right after the payment.
    const checkout = createCheckoutService({ db: app.db, gateway: app.payments, webOrigin: config.webOrigin, log: app.log });
    const shareFees = createShareFees({ db: app.db, gateway: app.payments });
    const tipFees = createTipFees({ db: app.db, gateway: app.payments });
    // Money paid for bookings no longer waiting for it, whose refund Stripe did not make at once.
    const late = createLatePayments({ db: app.db, gateway: app.payments, log: app.log, wake: () => boss.send(DISPATCH, {}).catch(() => {}) });
    await boss.work(CHARGE_DETAILS, async () => {
      const returned = await late.returnDue();
      if (returned.returned || returned.failed) app.log.info(returned, 'late payments returned');
      const r = await checkout.fillMissingChargeDetails();
      if (r.filled || r.failed) app.log.info(r, 'charge details reconciled');
      const shares = await shareFees.fillMissing(new Date());
      if (shares.filled || shares.failed) app.log.info(shares, 'share payment fees reconciled');
      const tipped = await tipFees.fillMissing(new Date());
      if (tipped.filled || tipped.failed) app.log.info(tipped, 'tip fees reconciled');
    });
    // What is past its retention limit (README, "Personal data and retention") is deleted hourly.
    await boss.createQueue(PURGE);
    await boss.schedule(PURGE, '23 * * * *');
    await boss.work(PURGE, async () => {
      const r = await purgeExpired(app.db, new Date());
      if (Object.values(r).some((n) => n > 0)) app.log.info(r, 'expired personal data purged');
    });
    await boss.work(FORGET_KEYS, async () => {
      const n = await forgetOldKeys(app.db, new Date());
      if (n) app.log.info({ forgotten: n }, 'idempotency keys forgotten');
    });
    // Regular visits: each series' visits made eight weeks ahead, every hour (idempotent, shared by instances).
    // Visits of a series charged to the saved card once their free cancellation has ended.
    const cards = createSavedCards({ db: app.db, gateway: app.payments, webOrigin: config.webOrigin, checkout, log: app.log, wake: () => boss.send(DISPATCH, {}).catch(() => {}) });
    await boss.createQueue(SERIES_CHARGES);
    await boss.schedule(SERIES_CHARGES, '*/5 * * * *');
    await boss.work(SERIES_CHARGES, async () => {
      const r = await cards.chargeDueVisits();
      if (r.charged || r.refused) app.log.info(r, 'visits charged to saved cards');
      const balances = await cards.chargeDueBalances();
      if (balances.charged || balances.refused) app.log.info(balances, 'quote balances charged to saved cards');
    });
    await boss.work(SERIES_HORIZON, async () => {
      const r = await extendHorizons(app.db, new Date());
      if (r.made || r.gaps) app.log.info(r, 'series horizon extended');
      await boss.send(DISPATCH, {});
    });
    // Each member's patronage per month of the open years, kept up to date every night (02:41 in
    // Toronto in winter), so closing a year only recomputes the months that changed since.
    await boss.createQueue(PATRONAGE_MONTHS);
    await boss.schedule(PATRONAGE_MONTHS, '41 7 * * *');
    await boss.work(PATRONAGE_MONTHS, async () => {
      const r = await keepMonthsUpToDate(app.db, new Date());
      if (r?.recomputed) app.log.info(r, 'patronage months recomputed');
    });
    // "Download my data": archives built as soon as asked for (and every minute, should a wake-up be lost);
    // those past their expiry deleted every hour.
    const dataExports = createDataExports({ db: app.db, log: app.log });
    await boss.createQueue(DATA_EXPORTS);
    await boss.schedule(DATA_EXPORTS, '* * * * *');
    await boss.work(DATA_EXPORTS, async () => {
      const r = await dataExports.buildPending();
      if (r.built || r.failed) app.log.info(r, 'data exports built');
      if (r.built) await boss.send(DISPATCH, {});
    });
    await boss.createQueue(DATA_EXPORTS_EXPIRE);
    await boss.schedule(DATA_EXPORTS_EXPIRE, '23 * * * *');
    await boss.work(DATA_EXPORTS_EXPIRE, async () => {
      const n = await dataExports.deleteExpired();
      if (n) app.log.info({ deleted: n }, 'expired data exports deleted');
    });
    app.decorate('jobs', {
      boss,
      buildExports() {
        boss.sendDebounced(DATA_EXPORTS, {}, {}, 1).catch((err) => app.log.warn({ err }, 'could not wake the data export worker'));
      },
      wake() {
        boss.sendDebounced(DISPATCH, {}, {}, 1).catch((err) => app.log.warn({ err }, 'could not wake the mail worker'));
      },
    });
    app.addHook('onClose', async () => {
      await boss.stop({ graceful: true, timeout: 10_000 });
    });
  },
  { name: 'jobs', dependencies: ['db', 'mailer', 'stripe'] },
);
