import { and, eq, inArray, sql } from 'drizzle-orm';
import { depositSplit, formatMoney, priceBreakdown, publicName, reasonIn, type AnswerSnapshot, type AppLocale } from '@tissu/shared';
import { schema, type Tx } from '@tissu/db';
import type { OutgoingMail } from '../../plugins/mailer.js';
import { bookingCalendars } from './booking-calendars.js';
import { addonLines } from './addon-lines.js';
import { formatDateTime, formatDeadline, ofName, toName, withName } from './format.js';
import { PLAN_MESSAGES, renderPlanMessage, type PlanMessagePayload } from './plan-messages.js';
import { ACCOUNT_MESSAGES, renderAccountMessage, type AccountMessagePayload } from './account-messages.js';
import { COOP_MESSAGES, renderCoopMessage, type CoopMessagePayload } from './coop-messages.js';
import { INVITATION_MESSAGES, renderInvitationMessage, type InvitationMessagePayload } from './invitation-messages.js';
import { SERIES_MESSAGES, renderSeriesMessage, type SeriesMessagePayload } from './series-messages.js';
import { renderConversationMessage, type ConversationMessagePayload } from './conversation-messages.js';
import { DATA_EXPORT_MESSAGES, renderDataExportMessage, type DataExportMessagePayload } from './data-export-messages.js';
import { QUOTE_MESSAGES, renderQuoteMessage, type QuoteMessagePayload } from './quote-messages.js';
import { TIP_MESSAGES, renderTipMessage, type TipMessagePayload } from './tip-messages.js';

export type BookingMessage =
  | 'requested' // to the co-op: a client asks for a slot
  | 'booked' // to the co-op: an instant booking
  | 'received' // to the client: the request is waiting for the co-op
  | 'accepted' // to the client: the co-op said yes, pay to confirm
  | 'booked_to_pay' // to the client: an instant booking (no one had to accept it), pay to confirm
  | 'confirmed' // to the client: paid, so the booking is confirmed
  | 'paid' // to the co-op: the client paid
  | 'assigned' // to a worker: the co-op assigned them to the booking
  | 'unassigned' // to a worker: the co-op took them off the booking, with its reason
  | 'declined'
  | 'expired' // to the client: the request was not answered in time
  | 'unpaid' // to the client: accepted, not paid by its deadline, so cancelled
  | 'unpaid_coop' // to the co-op's admins and the team: the client did not pay, the visit is off
  | 'cancelled'
  | 'rescheduled'
  | 'completed'
  | 'reminder'
  | 'charge_failed' // to the client: the saved card was refused for a visit; pay it on-session
  | 'payment_needed' // to the client: a visit to pay and no card saved
  | 'balance_due' // to the client: a quote's balance, after the work, could not be charged to her card; pay it on-session
  | 'balance_paid' // to the client: a quote's balance was paid (charged to her card, or on-session): the booking is paid in full
  | 'payment_returned' // to the client: money paid for a booking no longer waiting for it, refunded in full
  | 'refunded' // to the client: a steward refunded part or all of what she paid (a dispute settled), with the reason
  | 'no_show'; // to the client: the co-op marked her absent; what the listing's policy kept and refunded

export type MessagePayload = BookingMessagePayload | PlanMessagePayload | AccountMessagePayload | CoopMessagePayload | InvitationMessagePayload | SeriesMessagePayload | ConversationMessagePayload | DataExportMessagePayload | QuoteMessagePayload | TipMessagePayload;

export interface BookingMessagePayload {
  type: 'booking';
  message: BookingMessage;
  bookingId: string;
  recipientId: string;
  /** For reminders: the start they were queued for; a rescheduled booking gets a new one. */
  startsAt?: string;
  reason?: string | null;
  /** For payment_returned and refunded: what was refunded, in cents. */
  amountCents?: number;
  /** For unpaid: the deadline that passed (the booking's own is cleared when it lapses). */
  deadline?: string;
  /** For rescheduled: where the booking was before it moved. */
  previousStartsAt?: string;
}

/** A quote's booking paid with a deposit: what its payment at acceptance says (the balance comes at the end). */
const DEPOSIT: Partial<Record<BookingMessage, Record<AppLocale, { subject: string; lead: string }>>> = {
  confirmed: {
    fr: { subject: 'Réservation confirmée : {title}', lead: 'Acompte reçu : {coop} vous attend pour {title} le {when}. Le solde sera prélevé sur la même carte à la fin du travail.{attached}' },
    en: { subject: 'Booking confirmed: {title}', lead: 'Deposit received: {coop} expects you for {title} on {when}. The balance will be charged to the same card when the work is done.{attached}' },
  },
  paid: {
    fr: { subject: 'Acompte payé : {title}', lead: '{client} a payé l’acompte de {title} le {when}. La réservation est confirmée ; le solde sera prélevé à la fin du travail.' },
    en: { subject: 'Deposit paid: {title}', lead: '{client} paid the deposit for {title} on {when}. The booking is confirmed; the balance will be charged when the work is done.' },
  },
};

const T: Record<BookingMessage, Record<AppLocale, { subject: string; lead: string }>> = {
  requested: {
    fr: { subject: 'Nouvelle demande de réservation : {title}', lead: '{client} demande {title} le {when}. Répondez avant le {expires}.' },
    en: { subject: 'New booking request: {title}', lead: '{client} asks for {title} on {when}. Please answer before {expires}.' },
  },
  booked: {
    fr: { subject: 'Nouvelle réservation : {title}', lead: '{client} a réservé {title} le {when}.' },
    en: { subject: 'New booking: {title}', lead: '{client} booked {title} on {when}.' },
  },
  received: {
    fr: { subject: 'Demande envoyée : {title}', lead: 'Votre demande pour {title} le {when} a été envoyée {toCoop}. Vous recevrez sa réponse par courriel.' },
    en: { subject: 'Request sent: {title}', lead: 'Your request for {title} on {when} was sent to {coop}. You will get their answer by email.' },
  },
  accepted: {
    fr: { subject: 'Demande acceptée : {title} — il reste à payer', lead: '{coop} accepte {title} le {when}. Payez en ligne pour confirmer la réservation : {pay}' },
    en: { subject: 'Request accepted: {title} — payment needed', lead: '{coop} accepts {title} on {when}. Pay online to confirm the booking: {pay}' },
  },
  booked_to_pay: {
    fr: { subject: 'Réservation faite : {title} — il reste à payer', lead: 'Votre créneau pour {title} le {when} est réservé {withCoop}. Payez en ligne {payBy} pour confirmer la réservation : {pay}' },
    en: { subject: 'Booked: {title} — payment needed', lead: 'Your slot for {title} on {when} with {coop} is booked. Pay online {payBy} to confirm the booking: {pay}' },
  },
  confirmed: {
    fr: { subject: 'Réservation confirmée : {title}', lead: 'Paiement reçu : {coop} vous attend pour {title} le {when}.{attached}' },
    en: { subject: 'Booking confirmed: {title}', lead: 'Payment received: {coop} expects you for {title} on {when}.{attached}' },
  },
  paid: {
    fr: { subject: 'Réservation payée : {title}', lead: '{client} a payé {title} le {when}. La réservation est confirmée.' },
    en: { subject: 'Booking paid: {title}', lead: '{client} paid for {title} on {when}. The booking is confirmed.' },
  },
  assigned: {
    fr: { subject: 'Vous êtes affecté·e à {title}', lead: '{coop} vous confie {title} le {when}, chez {client}.' },
    en: { subject: 'You are assigned to {title}', lead: '{coop} assigns you {title} on {when}, for {client}.' },
  },
  unassigned: {
    fr: { subject: 'Vous n’êtes plus affecté·e à {title}', lead: '{coop} vous retire de {title} le {when}, chez {client}. Vous n’avez pas à vous y rendre.' },
    en: { subject: 'You are no longer assigned to {title}', lead: '{coop} took you off {title} on {when}, for {client}. You need not go.' },
  },
  declined: {
    fr: { subject: 'Demande refusée : {title}', lead: '{coop} ne peut pas accepter votre demande pour {title} le {when}.' },
    en: { subject: 'Request declined: {title}', lead: '{coop} cannot accept your request for {title} on {when}.' },
  },
  expired: {
    fr: { subject: 'Demande expirée : {title}', lead: 'Votre demande pour {title} le {when} est restée sans réponse et a expiré. Aucun montant ne vous sera facturé.' },
    en: { subject: 'Request expired: {title}', lead: 'Your request for {title} on {when} was not answered in time and has expired. You will not be charged.' },
  },
  unpaid: {
    fr: { subject: 'Annulée faute de paiement : {title} le {when}', lead: '{Thing} {ofTitle} le {when} est annulée : elle n’a pas été payée avant le {deadline}. {coop} ne viendra pas, et rien ne vous est facturé.' },
    en: { subject: 'Cancelled, not paid in time: {title} on {when}', lead: '{Thing} of {title} on {when} is cancelled: it was not paid by {deadline}. {coop} will not come, and you are not charged.' },
  },
  unpaid_coop: {
    fr: { subject: 'Annulée, le client n’a pas payé : {title} le {when}', lead: '{Thing} {ofTitle} le {when}, chez {client}, est annulée : {client} ne l’a pas payée avant le {deadline}. Personne n’a à s’y rendre.' },
    en: { subject: 'Cancelled, the client did not pay: {title} on {when}', lead: '{Thing} of {title} on {when}, for {client}, is cancelled: {client} did not pay for it by {deadline}. No one needs to go.' },
  },
  cancelled: {
    fr: { subject: 'Réservation annulée : {title}', lead: 'La réservation {ofTitle} le {when} a été annulée.' },
    en: { subject: 'Booking cancelled: {title}', lead: 'The booking of {title} on {when} was cancelled.' },
  },

  rescheduled: {
    fr: { subject: 'Nouvel horaire : {title}', lead: 'La réservation {ofTitle} a été déplacée{fromWhen} au {when}. L’invitation de calendrier à jour est jointe.' },
    en: { subject: 'New time: {title}', lead: 'The booking of {title} was moved{fromWhen} to {when}. The updated calendar invitation is attached.' },
  },
  completed: {
    fr: { subject: 'Merci ! Comment s’est passé {title} ?', lead: '{coop} a terminé {title}. Votre avis aide les autres clients et la coopérative.' },
    en: { subject: 'Thank you! How was {title}?', lead: '{coop} completed {title}. Your review helps other clients and the co-op.' },
  },
  reminder: {
    fr: { subject: 'Rappel : {title} demain', lead: 'Rappel : {title} avec {coop} le {when}.' },
    en: { subject: 'Reminder: {title} tomorrow', lead: 'Reminder: {title} with {coop} on {when}.' },
  },
  charge_failed: {
    fr: { subject: 'Paiement refusé : {title} le {when}', lead: 'Votre carte n’a pas pu payer la visite {ofTitle} le {when} ({why}). Payez-la en ligne avant le {expires} pour la confirmer : {pay}' },
    en: { subject: 'Payment refused: {title} on {when}', lead: 'Your card could not pay for the visit of {title} on {when} ({why}). Pay online before {expires} to confirm it: {pay}' },
  },
  balance_due: {
    fr: { subject: 'Solde à payer : {title}', lead: 'Le travail {ofTitle} du {when} est terminé, mais le solde n’a pas pu être prélevé sur votre carte ({why}). Payez-le en ligne : {pay}' },
    en: { subject: 'Balance to pay: {title}', lead: 'The work of {title} on {when} is done, but the balance could not be charged to your card ({why}). Pay it online: {pay}' },
  },
  balance_paid: {
    fr: { subject: 'Solde reçu : {title}', lead: 'Nous avons reçu le solde de {title} du {when} : l’acompte et le solde sont payés. Merci ! Votre reçu, avec les deux paiements : {receipt}' },
    en: { subject: 'Balance received: {title}', lead: 'We received the balance for {title} on {when}: the deposit and the balance are paid. Thank you! Your receipt, with both payments: {receipt}' },
  },
  payment_needed: {
    fr: { subject: 'Visite à payer : {title} le {when}', lead: 'Aucune carte n’est enregistrée pour vos visites régulières. Payez la visite {ofTitle} le {when} avant le {expires} pour la confirmer : {pay}' },
    en: { subject: 'Visit to pay: {title} on {when}', lead: 'No card is saved for your regular visits. Pay for the visit of {title} on {when} before {expires} to confirm it: {pay}' },
  },
  payment_returned: {
    fr: { subject: 'Paiement remboursé : {title} le {when}', lead: 'Nous avons reçu votre paiement de {amount} pour {title} le {when}, mais {because}. Nous vous l’avons remboursé en entier, sans aucuns frais : {amount} reviendront sur votre carte d’ici 5 à 10 jours ouvrables.' },
    en: { subject: 'Payment refunded: {title} on {when}', lead: 'We received your payment of {amount} for {title} on {when}, but {because}. We refunded all of it, with no fee kept: {amount} will be back on your card within 5 to 10 business days.' },
  },
  refunded: {
    fr: { subject: 'Remboursement : {title} le {when}', lead: 'Un remboursement de {amount} a été fait pour {title} le {when}. Il reviendra sur votre carte d’ici 5 à 10 jours ouvrables. Votre reçu, remboursements compris : {receipt}' },
    en: { subject: 'Refund: {title} on {when}', lead: 'A refund of {amount} was made for {title} on {when}. It will be back on your card within 5 to 10 business days. Your receipt, refunds included: {receipt}' },
  },
  no_show: {
    fr: { subject: 'Absence constatée : {title} le {when}', lead: '{coop} indique que personne n’était là pour {title} le {when}. {noShowOutcome}' },
    en: { subject: 'Marked absent: {title} on {when}', lead: '{coop} reports that no one was there for {title} on {when}. {noShowOutcome}' },
  },
};

/**
 * A cancellation says who made it, to each side: the client reads that the co-op cancelled (or
 * that she did), the co-op's admins and team that the client did (or that their co-op did).
 */
const CANCELLED: Record<'cancelled_by_coop' | 'cancelled_by_client', Record<'client' | 'coop', Record<AppLocale, { subject: string; lead: string }>>> = {
  cancelled_by_coop: {
    client: {
      fr: { subject: 'Réservation annulée par la coopérative : {title}', lead: '{coop} a annulé {thing} {ofTitle} le {when}.' },
      en: { subject: 'Booking cancelled by the co-op: {title}', lead: '{coop} cancelled {thing} of {title} on {when}.' },
    },
    coop: {
      fr: { subject: 'Réservation annulée par la coopérative : {title}', lead: '{coop} a annulé {thing} {ofTitle} le {when}, chez {client}. Personne n’a à s’y rendre.' },
      en: { subject: 'Booking cancelled by the co-op: {title}', lead: '{coop} cancelled {thing} of {title} on {when}, for {client}. No one needs to go.' },
    },
  },
  cancelled_by_client: {
    client: {
      fr: { subject: 'Réservation annulée : {title}', lead: 'Vous avez annulé {thing} {ofTitle} le {when}.' },
      en: { subject: 'Booking cancelled: {title}', lead: 'You cancelled {thing} of {title} on {when}.' },
    },
    coop: {
      fr: { subject: 'Réservation annulée par le client : {title}', lead: '{client} a annulé {thing} {ofTitle} le {when}. Personne n’a à s’y rendre.' },
      en: { subject: 'Booking cancelled by the client: {title}', lead: '{client} cancelled {thing} of {title} on {when}. No one needs to go.' },
    },
  },
};

/** Why money paid late was returned (payments' returnedBecause). */
const RETURNED: Record<string, Record<AppLocale, string>> = {
  expired: { fr: 'la réservation avait expiré', en: 'the booking had expired' },
  cancelled: { fr: 'la réservation avait été annulée', en: 'the booking had been cancelled' },
  already_paid: { fr: 'la réservation était déjà payée', en: 'the booking was already paid' },
  not_payable: { fr: 'la réservation n’attendait plus de paiement', en: 'the booking was no longer waiting for a payment' },
};

/** Why a card was refused, as the client reads it (Stripe's codes: decline code after the colon). */
const WHY: Record<string, Record<AppLocale, string>> = {
  insufficient_funds: { fr: 'fonds insuffisants', en: 'insufficient funds' },
  expired_card: { fr: 'carte expirée', en: 'the card has expired' },
  authentication_required: { fr: 'votre banque demande de confirmer le paiement vous-même', en: 'your bank asks you to confirm the payment yourself' },
  card_unavailable: { fr: 'la carte enregistrée a été changée ou retirée pendant le paiement', en: 'the saved card was changed or removed during the payment' },
  no_saved_card: { fr: 'aucune carte n’est enregistrée', en: 'no card is saved' },
};
const whyRefused = (code: string | null | undefined, locale: AppLocale) =>
  (code && (WHY[code.split(':').at(-1)!] ?? WHY[code.split(':')[0]!])?.[locale]) ?? (locale === 'fr' ? 'carte refusée' : 'card declined');

/** Every booking message there is, read off the table of texts so none can be left out. */
export const BOOKING_MESSAGES = Object.keys(T) as BookingMessage[];

/**
 * Every kind of email the outbox sends, as (payload type, message). A test renders each one and
 * opens every link in it, so a kind added here is checked without anyone remembering to.
 */
export const MESSAGE_KINDS: { type: MessagePayload['type']; message: string }[] = [
  ...BOOKING_MESSAGES.map((message) => ({ type: 'booking' as const, message })),
  ...PLAN_MESSAGES.map((message) => ({ type: 'surplus_plan' as const, message })),
  ...COOP_MESSAGES.map((message) => ({ type: 'coop_decision' as const, message })),
  ...ACCOUNT_MESSAGES.map((message) => ({ type: 'account' as const, message })),
  ...INVITATION_MESSAGES.map((message) => ({ type: 'coop_invitation' as const, message })),
  ...SERIES_MESSAGES.map((message) => ({ type: 'series' as const, message })),
  ...DATA_EXPORT_MESSAGES.map((message) => ({ type: 'data_export' as const, message })),
  ...QUOTE_MESSAGES.map((message) => ({ type: 'quote' as const, message })),
  ...TIP_MESSAGES.map((message) => ({ type: 'tip' as const, message })),
];

const LABELS = {
  fr: { price: 'Prix', depositNow: 'Acompte à payer maintenant (le solde à la fin du travail)', taxesIncluded: 'taxes comprises', noTaxes: 'sans taxes', paid: 'Montant payé', depositPaid: 'Acompte payé', balancePaid: 'Solde payé', service: 'service', gst: 'TPS', qst: 'TVQ', refunded: 'Remboursé', address: 'Adresse', reason: 'Motif', see: 'Voir la réservation', yours: 'Les réservations de votre coopérative', solidarity: 'Tarif solidaire demandé pour', card: 'Carte pour les visites régulières', series: 'Vos visites régulières', keeps: 'La carte avec laquelle vous payez cette visite sera utilisée pour les visites suivantes.' },
  en: { price: 'Price', depositNow: 'Deposit to pay now (the balance when the work is done)', taxesIncluded: 'taxes included', noTaxes: 'no taxes', paid: 'Amount paid', depositPaid: 'Deposit paid', balancePaid: 'Balance paid', service: 'service', gst: 'GST', qst: 'QST', refunded: 'Refunded', address: 'Address', reason: 'Reason', see: 'See the booking', yours: 'Your co-op’s bookings', solidarity: 'Solidarity rate requested for', card: 'Card for regular visits', series: 'Your regular visits', keeps: 'The card you pay this visit with will be used for the next visits.' },
};

/**
 * What the booking costs, as the recipient knows it: once paid, what was charged with its taxes
 * (the receipt's breakdown) and what was refunded; before that, what the pay page would charge
 * now (the price with the taxes the co-op is registered for, as payments' summary computes it),
 * so "Prix : 320,00 $" never hides the 47,92 $ of taxes the client pays on top.
 */
async function amountLines(
  tx: Tx, b: { id: string; coopId: string; priceCents: number; feeRateBps: number; depositPercent: number; gstRegistered: boolean | null; qstRegistered: boolean | null }, locale: AppLocale,
): Promise<string[]> {
  const L = LABELS[locale];
  const money = (c: number) => formatMoney(c, locale);
  // Every payment that took money for it: one, or a quote's deposit and balance (each its own line).
  const paid = await tx
    .select()
    .from(schema.payments)
    .where(and(eq(schema.payments.bookingId, b.id), inArray(schema.payments.status, ['paid', 'refunded', 'partially_refunded'])))
    .orderBy(schema.payments.createdAt);
  const colon = locale === 'fr' ? ' :' : ':';
  if (paid.length === 0) {
    const [account] = await tx
      .select({ gst: schema.coopPaymentAccounts.gstRegistered, qst: schema.coopPaymentAccounts.qstRegistered })
      .from(schema.coopPaymentAccounts)
      .where(eq(schema.coopPaymentAccounts.coopId, b.coopId));
    // A quote's booking is paid with the taxes its accepted offer showed (payments' taxesFor).
    const taxes = b.gstRegistered !== null && b.qstRegistered !== null ? { gst: b.gstRegistered, qst: b.qstRegistered } : account ?? { gst: false, qst: false };
    const bd = priceBreakdown(b.priceCents, b.feeRateBps, taxes);
    // In two parts, only the deposit is paid now (the pay page's button): said under the whole price.
    const now = b.depositPercent > 0 ? [`${L.depositNow}${colon} ${money(depositSplit(bd, b.depositPercent).deposit.totalCents)}`] : [];
    if (bd.totalCents === bd.serviceCents) return [`${L.price}${colon} ${money(bd.totalCents)} (${L.noTaxes})`, ...now];
    const taxLines = [bd.gstCents ? `${L.gst} ${money(bd.gstCents)}` : '', bd.qstCents ? `${L.qst} ${money(bd.qstCents)}` : ''].filter(Boolean);
    return [`${L.price}${colon} ${money(bd.totalCents)} ${L.taxesIncluded} (${[`${L.service} ${money(bd.serviceCents)}`, ...taxLines].join(' + ')})`, ...now];
  }
  const lines = paid.map((p) => {
    const parts = [`${L.service} ${money(p.serviceCents)}`, p.gstCents ? `${L.gst} ${money(p.gstCents)}` : '', p.qstCents ? `${L.qst} ${money(p.qstCents)}` : ''].filter(Boolean);
    const label = p.part === 'deposit' ? L.depositPaid : p.part === 'balance' ? L.balancePaid : L.paid;
    return `${label}${colon} ${money(p.totalCents)}${parts.length > 1 ? ` (${parts.join(' + ')})` : ''}`;
  });
  const [{ refunded }] = (await tx
    .select({ refunded: sql<number>`coalesce(sum(${schema.refunds.totalCents}), 0)::int` })
    .from(schema.refunds)
    .where(inArray(schema.refunds.paymentId, paid.map((p) => p.id)))) as [{ refunded: number }];
  if (refunded > 0) lines.push(`${L.refunded}${colon} ${money(refunded)}`);
  return lines;
}

/**
 * The client's answers to the listing's questions, as they were asked, in the emails that tell the
 * co-op's admins of a new booking and a worker of her assignment (the people doing the job).
 */
function answerLines(answers: readonly AnswerSnapshot[], message: BookingMessage, locale: AppLocale): string[] {
  if (answers.length === 0 || !['requested', 'booked', 'assigned'].includes(message)) return [];
  const colon = locale === 'fr' ? ' :' : ':';
  return [
    locale === 'fr' ? 'Réponses aux questions :' : 'Answers to the questions:',
    ...answers.map((a) => `- ${locale === 'fr' ? a.labelFr : a.labelEn}${colon} ${locale === 'fr' ? a.shownFr : a.shownEn}`),
  ];
}

/**
 * What a no-show kept and refunded, taxes included, as the booking page's payment shows them: the
 * listing's share of the service kept, the rest refunded by the transaction that marked it.
 */
async function noShowOutcome(tx: Tx, b: { id: string; noShowPercent: number }, locale: AppLocale): Promise<string> {
  const money = (c: number) => formatMoney(c, locale);
  const [{ paid, refunded }] = (await tx.execute<{ paid: number; refunded: number }>(sql`
    SELECT (SELECT coalesce(sum(total_cents), 0) FROM payments WHERE booking_id = ${b.id} AND status IN ('paid', 'refunded', 'partially_refunded'))::int AS paid,
           (SELECT coalesce(sum(total_cents), 0) FROM refunds WHERE booking_id = ${b.id})::int AS refunded`)) as unknown as [{ paid: number; refunded: number }];
  const kept = Number(paid) - Number(refunded);
  if (Number(refunded) <= 0) {
    return locale === 'fr'
      ? `Selon les conditions de la réservation (${b.noShowPercent} % du service retenu en cas d’absence), les ${money(kept)} payés sont retenus ; rien n’est remboursé.`
      : `Under the booking's terms (${b.noShowPercent}% of the service kept for an absence), the ${money(kept)} paid is kept; nothing is refunded.`;
  }
  return locale === 'fr'
    ? `Selon les conditions de la réservation (${b.noShowPercent} % du service retenu en cas d’absence), ${money(kept)} sont retenus et ${money(Number(refunded))} vous sont remboursés, taxes comprises ; le remboursement arrive sur votre carte d’ici 5 à 10 jours ouvrables.`
    : `Under the booking's terms (${b.noShowPercent}% of the service kept for an absence), ${money(kept)} is kept and ${money(Number(refunded))} refunded to you, taxes included; the refund reaches your card within 5 to 10 business days.`;
}

/** Fills the template; a value that ends a sentence itself ("9:00 a.m.") takes no second period. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}(\.?)/g, (_, k: string, dot: string) => {
    const v = values[k] ?? '';
    return v.endsWith('.') ? v : v + dot;
  });
}

/**
 * Builds the email for a queued message, in the recipient's language; null if it no longer applies.
 * `organizer` is the platform's sender address, the ORGANIZER of the calendar events it attaches.
 */
export async function renderMessage(tx: Tx, payload: MessagePayload, webOrigin: string, organizer: string): Promise<OutgoingMail | null> {
  if (payload.type === 'surplus_plan') return renderPlanMessage(tx, payload, webOrigin);
  if (payload.type === 'account') return renderAccountMessage(tx, payload, webOrigin);
  if (payload.type === 'coop_decision') return renderCoopMessage(tx, payload, webOrigin);
  if (payload.type === 'coop_invitation') return renderInvitationMessage(tx, payload, webOrigin);
  if (payload.type === 'series') return renderSeriesMessage(tx, payload, webOrigin, organizer);
  if (payload.type === 'conversation') return renderConversationMessage(tx, payload, webOrigin);
  if (payload.type === 'data_export') return renderDataExportMessage(tx, payload, webOrigin);
  if (payload.type === 'quote') return renderQuoteMessage(tx, payload, webOrigin);
  if (payload.type === 'tip') return renderTipMessage(tx, payload, webOrigin);
  const p = payload;
  const [row] = await tx
    .select({ booking: schema.bookings, listing: schema.listings, coop: schema.coops, client: schema.users })
    .from(schema.bookings)
    .innerJoin(schema.listings, eq(schema.listings.id, schema.bookings.listingId))
    .innerJoin(schema.coops, eq(schema.coops.id, schema.bookings.coopId))
    .innerJoin(schema.users, eq(schema.users.id, schema.bookings.clientId))
    .where(eq(schema.bookings.id, p.bookingId));
  const [recipient] = await tx.select().from(schema.users).where(eq(schema.users.id, p.recipientId));
  if (!row || !recipient) return null;
  const { booking: b, listing, coop, client } = row;
  if (p.message === 'reminder' && (!['accepted', 'paid'].includes(b.state) || p.startsAt !== b.startsAt.toISOString())) return null;
  // Reminders are optional (the account page); booking changes and receipts always go.
  if (p.message === 'reminder' && !recipient.reminderEmails) return null;

  const locale = recipient.locale;
  const title = locale === 'fr' ? listing.titleFr : listing.titleEn;
  const when = formatDateTime(b.startsAt, b.timeZone, locale);
  const toClient = recipient.id === client.id;
  // A worker on the visit is told what doing it needs: the client's public name, not what she pays.
  const [member] = toClient ? [] : await tx
    .select({ role: schema.coopMembers.role })
    .from(schema.coopMembers)
    .where(and(eq(schema.coopMembers.coopId, b.coopId), eq(schema.coopMembers.userId, recipient.id)));
  const toWorker = member?.role === 'worker';
  // Taken off it, a worker no longer sees the booking: her co-op's list of bookings is where she goes.
  const unassigned = p.message === 'unassigned' && !toClient;
  const url = unassigned ? `${webOrigin}/dashboard/coops/${b.coopId}/bookings` : `${webOrigin}/bookings/${b.id}`;
  const t = p.message === 'cancelled' && (b.state === 'cancelled_by_coop' || b.state === 'cancelled_by_client')
    ? CANCELLED[b.state][toClient ? 'client' : 'coop'][locale]
    : (b.depositPercent > 0 ? DEPOSIT[p.message]?.[locale] : undefined) ?? T[p.message][locale];
  const L = LABELS[locale];
  const visit = b.seriesId !== null;
  const thing = locale === 'fr' ? (visit ? 'la visite' : 'la réservation') : (visit ? 'the visit' : 'the booking');
  const colon = locale === 'fr' ? ' :' : ':';
  const values = {
    title, when, coop: coop.legalName, client: toWorker ? publicName(client.name) : client.name,
    // French only: "de"/"à" before a name ("La réservation d'Entretien ménager", "envoyée à la Coopérative …").
    ofTitle: ofName(title), toCoop: toName(coop.legalName), withCoop: withName(coop.legalName),
    payBy: b.expiresAt ? formatDeadline(b.expiresAt, b.timeZone, locale).by : '',
    expires: b.expiresAt ? formatDateTime(b.expiresAt, b.timeZone, locale) : '',
    pay: `${url}/pay`,
    receipt: `${url}/receipt`,
    why: whyRefused(p.reason, locale),
    amount: formatMoney(p.amountCents ?? 0, locale),
    because: (RETURNED[p.reason ?? ''] ?? RETURNED.not_payable!)[locale],
    thing, Thing: thing.charAt(0).toUpperCase() + thing.slice(1),
    // The deadline that passed, kept in the message (the booking's is cleared as it lapses).
    deadline: formatDateTime(p.deadline ? new Date(p.deadline) : (b.expiresAt ?? b.startsAt), b.timeZone, locale),
    // Where it was before a move: "déplacée du lundi … au mardi …".
    fromWhen: p.previousStartsAt ? `${locale === 'fr' ? ' du' : ' from'} ${formatDateTime(new Date(p.previousStartsAt), b.timeZone, locale)}` : '',
  };
  const outcome = p.message === 'no_show' ? await noShowOutcome(tx, b, locale) : '';
  const calendar = await bookingCalendars(tx, p, b, recipient.id, { title, coop: coop.legalName, url, see: L.see, locale, webOrigin, organizer });
  // Said only when an invitation is attached (a visit of a series is in the series' own calendar).
  const attached = calendar.length ? (locale === 'fr' ? ' L’invitation de calendrier est jointe.' : ' The calendar invitation is attached.') : '';
  const lines = [
    fill(t.lead, { ...values, attached, noShowOutcome: outcome }),
    // Paying a visit on-session keeps the card for the next ones (payments' checkout): said before it is paid.
    p.message === 'charge_failed' || p.message === 'payment_needed' ? L.keeps : '',
    '',
    // Money returned: the lead says the amount; a visit lapsed unpaid costs nothing: a price would only confuse.
    ...(toWorker || ['payment_returned', 'refunded', 'unpaid', 'unpaid_coop', 'unassigned'].includes(p.message) ? [] : await amountLines(tx, b, locale)),
    // The add-ons chosen (names and minutes; prices too for all but a worker).
    ...(p.message === 'unassigned' ? [] : await addonLines(tx, b.id, locale, !toWorker)),
    b.address ? `${L.address}${colon} ${b.address}` : '',
    b.solidarityRequested && b.organizationName ? `${L.solidarity}${colon} ${b.organizationName}` : '',
    p.reason && !['charge_failed', 'balance_due', 'payment_returned', 'unpaid', 'unpaid_coop'].includes(p.message) ? `${L.reason}${colon} ${reasonIn(p.reason, locale)}` : '',
    ...answerLines(b.answers, p.message, locale),
    p.message === 'charge_failed' || p.message === 'payment_needed' ? `${L.card}${colon} ${webOrigin}/account/card` : '',
    // A visit of a series lapsed unpaid: the client finds the series (and her next visits) there.
    p.message === 'unpaid' && b.seriesId ? `${L.series}${colon} ${webOrigin}/series/${b.seriesId}` : '',
    '',
    `${unassigned ? L.yours : L.see}${colon} ${url}`,
  ].filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''));

  return {
    to: recipient.email,
    subject: fill(t.subject, values),
    text: lines.join('\n'),
    attachments: calendar.length ? calendar : undefined,
  };
}
