import type { MemberClass } from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import { requireActor, requireVerifiedEmail, type Actor } from '../../actor.js';
import { conflict, HttpError, pgErrorCode } from '../../errors.js';
import type { PaymentGateway } from '../../plugins/stripe.js';
import { requireCoopRole } from '../coops/index.js';
import { booksDate } from '../../lib/calendar.js';
import { ACCOUNTS, postEntry } from '../ledger/index.js';
import { gatewayDown } from '../../lib/gateway.js';
import { checkEligible, checkNotMember, recordMembership, type Applicant } from './service.js';
import { readCoopSettings } from './settings.js';
import * as apps from './applications-repository.js';

const CLASS_NAMES: Record<MemberClass, { fr: string; en: string }> = {
  producer: { fr: 'membre producteur', en: 'producer member' },
  worker: { fr: 'membre travailleur', en: 'worker-member' },
  user: { fr: 'membre utilisateur', en: 'user member' },
  supporting: { fr: 'membre de soutien', en: 'supporting member' },
};
/** A reused Checkout must leave the person time to pay. */
const MIN_LEFT_MS = 10 * 60_000;
/** Stripe Checkout sessions live at most 24 hours. */
const SESSION_MS = 23 * 3_600_000;

export interface ShareCheckoutDeps {
  db: Db;
  gateway: PaymentGateway;
  webOrigin: string;
  now: () => Date;
}

/**
 * Joining the platform co-op online: the qualifying share is paid to the platform's own Stripe
 * account (a share is capital, not a sale: no connected account, no platform fee, no tax). The
 * membership is created by the signed webhook, see settleSharePayment.
 */
export function createShareCheckoutService(deps: ShareCheckoutDeps) {
  const { db, gateway } = deps;

  async function reusableCheckout(open: apps.ApplicationRow): Promise<string | null> {
    if (open.checkoutUrl && open.expiresAt.getTime() - deps.now().getTime() > MIN_LEFT_MS) return open.checkoutUrl;
    if (open.checkoutSessionId) {
      const ended = await gateway.expireCheckout(open.checkoutSessionId).catch((err) => { throw gatewayDown(err); });
      if (ended === 'complete') throw conflict('Your share has just been paid: your membership is being recorded', 'share_payment_pending');
    }
    await apps.updateApplication(db, open.id, { status: 'expired' });
    return null;
  }

  return {
    async start(actor: Actor | null, body: { class: MemberClass; coopId?: string }) {
      const a = requireVerifiedEmail(actor);
      if (body.class === 'producer') await requireCoopRole(db, a, body.coopId!, 'admin');
      const applicant: Applicant = body.class === 'producer' ? { class: 'producer', coopId: body.coopId! } : { class: body.class, userId: a.userId };
      await checkEligible(db, applicant);
      await checkNotMember(db, applicant);
      const holder = { userId: applicant.userId ?? null, coopId: applicant.coopId ?? null };

      const open = await apps.openApplicationOf(db, holder);
      if (open) {
        const url = await reusableCheckout(open);
        if (url) return { url, memberClass: open.memberClass, shareCents: open.shareCents };
      }
      const shareCents = (await readCoopSettings(db)).qualifyingShareCents[body.class];
      const person = (await apps.personForCheckout(db, a.userId))!;
      const expiresAt = new Date(deps.now().getTime() + SESSION_MS);
      let application: apps.ApplicationRow;
      try {
        application = await apps.insertApplication(db, { memberClass: body.class, ...holder, requestedBy: a.userId, shareCents, expiresAt });
      } catch (err) {
        // Two clicks at once: the other request opened the Checkout.
        if (pgErrorCode(err) === '23505') throw conflict('A payment of this share is already being set up: try again in a moment', 'share_payment_pending');
        throw err;
      }
      const back = `${deps.webOrigin}/membership`;
      try {
        const session = await gateway.createPlatformCheckout({
          idempotencyKey: `membership-share:${application.id}`,
          metadata: { membershipApplicationId: application.id, memberClass: body.class },
          clientReferenceId: application.id,
          line: { name: `${person.locale === 'en' ? 'Qualifying share' : 'Part de qualification'}, ${CLASS_NAMES[body.class][person.locale]} — Tissu`, amountCents: shareCents },
          customerEmail: person.email,
          successUrl: `${back}?joined=1`,
          cancelUrl: `${back}?cancelled=1`,
          expiresAt,
        });
        await apps.updateApplication(db, application.id, { checkoutSessionId: session.id, checkoutUrl: session.url });
        return { url: session.url, memberClass: body.class, shareCents };
      } catch (err) {
        await apps.updateApplication(db, application.id, { status: 'expired' });
        if (err instanceof HttpError) throw err;
        throw gatewayDown(err);
      }
    },
  };
}

export type ShareSettlement = 'member' | 'unapplied' | 'already_settled' | 'unknown' | 'mismatch';

/**
 * Stripe says a share was paid: the membership and its capital entry, in the event's transaction,
 * through the same recordMembership as a steward's. The holder is checked again as on joining,
 * because time passed since the Checkout opened: one who became a member meanwhile (a cheque
 * recorded by a steward), or who is no longer eligible for the class (a worker who left their
 * co-op, a co-op no longer approved), gets no membership; the money is held as owed back to them
 * (share_payments_to_refund) and stewards refund it.
 */
export async function settleSharePayment(
  tx: Tx, applicationId: string, paymentIntentId: string | null, paidAt: Date, paid: { amountCents: unknown; currency: unknown },
): Promise<ShareSettlement> {
  const app = await apps.lockApplication(tx, { id: applicationId });
  if (!app) return 'unknown';
  // As for bookings (markPaid): a signed event settles a share only for the amount it asked, in
  // dollars; a replayed or forged one changes nothing (the webhook route logs it).
  if (paid.amountCents !== app.shareCents || String(paid.currency).toLowerCase() !== 'cad') return 'mismatch';
  if (app.status === 'paid' || app.status === 'unapplied') {
    if (!app.paymentIntentId && paymentIntentId) await apps.updateApplication(tx, app.id, { paymentIntentId });
    return 'already_settled';
  }
  const applicant: Applicant = { class: app.memberClass, userId: app.userId, coopId: app.coopId };
  const why = await notAdmissible(tx, applicant);
  if (why) {
    await apps.updateApplication(tx, app.id, { status: 'unapplied', paidAt, paymentIntentId });
    await postEntry(tx, {
      kind: 'member_share_unapplied', source: `membership_application:${app.id}:payment`, occurredAt: paidAt,
      memo: `Qualifying share paid by a holder who ${why}: to refund`,
      lines: [{ account: ACCOUNTS.clientPayments, amount: app.shareCents }, { account: ACCOUNTS.sharePaymentsToRefund, amount: -app.shareCents }],
    });
    return 'unapplied';
  }
  const m = await recordMembership(tx, {
    ...applicant, shareCents: app.shareCents, paidBy: 'stripe', startedOn: booksDate(paidAt), recordedBy: app.requestedBy, receivedAt: paidAt,
  });
  await apps.updateApplication(tx, app.id, { status: 'paid', paidAt, paymentIntentId, membershipId: m.id });
  return 'member';
}

/** Why the holder cannot become a member when the payment arrives, or null when they can. */
async function notAdmissible(tx: Tx, applicant: Applicant): Promise<string | null> {
  const refused = async (check: () => Promise<void>) => {
    try {
      await check();
      return false;
    } catch (err) {
      if (err instanceof HttpError) return true;
      throw err;
    }
  };
  if (await refused(() => checkNotMember(tx, applicant))) return 'was already a member';
  if (await refused(() => checkEligible(tx, applicant))) return `is no longer eligible as a ${applicant.class} member`;
  return null;
}

/** The Checkout expired unpaid: the application is closed, a new one may start. */
export async function expireShareApplication(tx: Tx, checkoutSessionId: string): Promise<void> {
  const app = await apps.lockApplication(tx, { checkoutSessionId });
  if (app?.status === 'open') await apps.updateApplication(tx, app.id, { status: 'expired' });
}
