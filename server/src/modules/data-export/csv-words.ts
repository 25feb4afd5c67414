import { DateTime } from 'luxon';
import type { AppLocale, BookingState } from '@tissu/shared';

/**
 * The archive's spreadsheets say states and kinds in the person's language, as the web does
 * (web/messages: booking_state_*, payment_status_*, refund_kind_*), for someone reading them in a
 * spreadsheet; each file keeps the code in a column of its own, for a program. A code missing
 * here (added later) is written as it is rather than lost.
 */
const BOOKING_STATE: Record<AppLocale, Record<BookingState, string>> = {
  fr: {
    requested: 'Demande en attente', accepted: 'Acceptée — à payer', paid: 'Confirmée', completed: 'Terminée', declined: 'Refusée',
    expired: 'Expirée', cancelled_by_client: 'Annulée par le client', cancelled_by_coop: 'Annulée par la coopérative', no_show: 'Client absent',
  },
  en: {
    requested: 'Request pending', accepted: 'Accepted — to pay', paid: 'Confirmed', completed: 'Completed', declined: 'Declined',
    expired: 'Expired', cancelled_by_client: 'Cancelled by the client', cancelled_by_coop: 'Cancelled by the co-op', no_show: 'Client no-show',
  },
};

const PAYMENT_STATUS: Record<AppLocale, Record<string, string>> = {
  fr: {
    open: 'Paiement commencé', paid: 'Payée', expired: 'Paiement expiré', refunded: 'Remboursée', partially_refunded: 'Remboursée en partie',
    to_return: 'À vous rendre', returned: 'Rendue',
  },
  en: {
    open: 'Payment started', paid: 'Paid', expired: 'Payment expired', refunded: 'Refunded', partially_refunded: 'Partly refunded',
    to_return: 'To be returned to you', returned: 'Returned',
  },
};

const REFUND_KIND: Record<AppLocale, Record<string, string>> = {
  fr: {
    client_cancellation: 'Annulation par le client', coop_cancellation: 'Annulation par la coopérative', steward: 'Remboursement par l’intendance',
    late_payment: 'Paiement reçu après la fin de la réservation, remboursé en entier',
  },
  en: {
    client_cancellation: 'Cancellation by the client', coop_cancellation: 'Cancellation by the co-op', steward: 'Refund by a steward',
    late_payment: 'Payment received after the booking ended, refunded in full',
  },
};

const PLAN_STATUS: Record<AppLocale, Record<string, string>> = {
  fr: { draft: 'Brouillon', proposed: 'Soumis au vote', approved: 'Adopté', paid: 'Versé' },
  en: { draft: 'Draft', proposed: 'Put to the vote', approved: 'Approved', paid: 'Paid' },
};

const MEMBER_CLASS: Record<AppLocale, Record<string, string>> = {
  fr: { producer: 'Coopérative productrice', worker: 'Membre travailleur·euse', user: 'Membre utilisateur·rice', supporting: 'Membre de soutien' },
  en: { producer: 'Producer co-op', worker: 'Worker-member', user: 'User-member', supporting: 'Supporting member' },
};

const word = (table: Record<AppLocale, Record<string, string>>) => (lang: AppLocale, code: unknown) => {
  const c = String(code ?? '');
  return table[lang][c] ?? c;
};

export const bookingStateWord = word(BOOKING_STATE);
export const paymentStatusWord = word(PAYMENT_STATUS);
export const refundKindWord = word(REFUND_KIND);
export const planStatusWord = word(PLAN_STATUS);
export const memberClassWord = word(MEMBER_CLASS);

/** Tissu's clock: Montréal's. The headers name the zone, so a date is never read as UTC. */
export const ARCHIVE_ZONE = 'America/Toronto';

/** An instant as a spreadsheet reads a date and time, on Montréal's clock: "2026-03-02 09:00". */
export function montreal(iso: unknown): string {
  if (typeof iso !== 'string' || iso === '') return '';
  const t = DateTime.fromISO(iso, { zone: 'utc' }).setZone(ARCHIVE_ZONE);
  return t.isValid ? t.toFormat('yyyy-MM-dd HH:mm') : '';
}
