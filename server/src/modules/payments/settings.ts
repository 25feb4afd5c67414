import { fieldError } from '@tissu/shared';
import type { FeeSchedule, PaymentAccount } from '@tissu/shared';
import type { Db } from '@tissu/db';
import { requireSteward, type Actor } from '../../actor.js';
import { badRequest, conflict, HttpError, pgErrorCode } from '../../errors.js';
import { gatewayDown } from '../../lib/gateway.js';
import type { PaymentGateway } from '../../plugins/stripe.js';
import { requireCoopRole } from '../coops/index.js';
import * as repo from './repository.js';
import { feeRates, insertFeeRate } from '../fees/index.js';
import { findUserById } from '../accounts/index.js';

export function toPaymentAccount(row: repo.PaymentAccountRow | undefined): PaymentAccount {
  return {
    connected: Boolean(row?.stripeAccountId),
    chargesEnabled: row?.chargesEnabled ?? false,
    payoutsEnabled: row?.payoutsEnabled ?? false,
    detailsSubmitted: row?.detailsSubmitted ?? false,
    requirementsDue: row?.requirementsDue ?? [],
    gstRegistered: row?.gstRegistered ?? false,
    qstRegistered: row?.qstRegistered ?? false,
    gstNumber: row?.gstNumber ?? null,
    qstNumber: row?.qstNumber ?? null,
  };
}

/** Co-op payment accounts (Stripe Connect onboarding, tax registration) and the platform fee. */
export function createPaymentSettings(deps: { db: Db; gateway: PaymentGateway; webOrigin: string }) {
  const { db, gateway } = deps;
  return {
    async account(actor: Actor | null, coopId: string): Promise<PaymentAccount> {
      await requireCoopRole(db, actor, coopId, 'admin');
      return toPaymentAccount(await repo.paymentAccount(db, coopId));
    },

    /** Creates the connected account on first use and returns a fresh onboarding link. */
    async startOnboarding(actor: Actor | null, coopId: string): Promise<{ url: string }> {
      const { coop } = await requireCoopRole(db, actor, coopId, 'admin');
      if (coop.status !== 'approved') throw conflict('The co-op must be approved before it can take payments', 'coop_not_approved');
      let row = await repo.paymentAccount(db, coopId);
      try {
        if (!row?.stripeAccountId) {
          const admin = await findUserById(db, actor!.userId);
          const created = await gateway.createAccount({ coopId, email: admin!.email, name: coop.legalName });
          row = await repo.upsertPaymentAccount(db, coopId, {
            stripeAccountId: created.id, chargesEnabled: created.chargesEnabled, payoutsEnabled: created.payoutsEnabled,
            detailsSubmitted: created.detailsSubmitted, requirementsDue: created.requirementsDue,
          });
        }
        const back = `${deps.webOrigin}/dashboard/coops/${coopId}/payments`;
        return { url: await gateway.onboardingLink(row.stripeAccountId!, `${back}?onboarding=done`, `${back}?onboarding=retry`) };
      } catch (err) {
        if (err instanceof HttpError) throw err;
        throw gatewayDown(err);
      }
    },

    /** Asks Stripe again (the webhook keeps it current; this is the "refresh" button). */
    async refreshAccount(actor: Actor | null, coopId: string): Promise<PaymentAccount> {
      await requireCoopRole(db, actor, coopId, 'admin');
      const row = await repo.paymentAccount(db, coopId);
      if (!row?.stripeAccountId) return toPaymentAccount(row);
      // Asked before the read: any event created before this second is older than what we read.
      const asOf = new Date(Math.floor(Date.now() / 1000) * 1000);
      let s;
      try {
        s = await gateway.retrieveAccount(row.stripeAccountId);
      } catch (err) {
        throw gatewayDown(err);
      }
      await repo.updateAccountByStripeId(db, row.stripeAccountId, asOf, {
        chargesEnabled: s.chargesEnabled, payoutsEnabled: s.payoutsEnabled, detailsSubmitted: s.detailsSubmitted, requirementsDue: s.requirementsDue,
      });
      return toPaymentAccount(await repo.paymentAccount(db, coopId));
    },

    async setTaxes(actor: Actor | null, coopId: string, body: { gstRegistered: boolean; gstNumber?: string | null; qstRegistered: boolean; qstNumber?: string | null }) {
      await requireCoopRole(db, actor, coopId, 'admin');
      return toPaymentAccount(await repo.upsertPaymentAccount(db, coopId, {
        gstRegistered: body.gstRegistered, gstNumber: body.gstRegistered ? (body.gstNumber ?? null) : null,
        qstRegistered: body.qstRegistered, qstNumber: body.qstRegistered ? (body.qstNumber ?? null) : null,
      }));
    },

    /** Public: the fee is part of the platform's promise, shown on every listing. */
    async feeSchedule(now = new Date()): Promise<FeeSchedule> {
      const rows = await feeRates(db);
      const view = (r: (typeof rows)[number]) => ({ rateBps: r.rateBps, effectiveFrom: r.effectiveFrom.toISOString(), reason: r.reason });
      const past = rows.filter((r) => r.effectiveFrom <= now);
      const current = past.at(-1);
      return {
        current: current ? view(current) : { rateBps: 500, effectiveFrom: new Date(0).toISOString(), reason: '' },
        upcoming: rows.filter((r) => r.effectiveFrom > now).map(view),
        history: past.map(view).reverse(),
      };
    },

    /** A new rate applies to bookings made from its effective date; existing bookings keep theirs. */
    async setFeeRate(actor: Actor | null, body: { rateBps: number; effectiveFrom: string; reason: string }, now = new Date()) {
      const a = requireSteward(actor);
      const from = new Date(body.effectiveFrom);
      if (from.getTime() < now.getTime() - 60_000) throw badRequest('Some fields are not valid', { effectiveFrom: [fieldError('rate_in_past')] });
      await insertFeeRate(db, { rateBps: body.rateBps, effectiveFrom: from, reason: body.reason, createdBy: a.userId }).catch((err: unknown) => {
        // The unique index decides, so two stewards (or one double submit) at once still get one rate.
        if (pgErrorCode(err) !== '23505') throw err;
        throw new HttpError(409, 'fee_rate_exists', 'A rate already starts at this instant: choose another start, or keep that rate',
          { effectiveFrom: [fieldError('fee_rate_exists')] });
      });
      return this.feeSchedule(now);
    },
  };
}
