import type { AppLocale } from '@tissu/shared';
import type { PersonData } from './gather.js';
import { bookingStateWord, memberClassWord, montreal, paymentStatusWord, planStatusWord, refundKindWord } from './csv-words.js';

/**
 * The archive's spreadsheets, as the patronage statements' CSV writes them (house convention):
 * in French, columns separated by ";" and a decimal comma (what Excel and LibreOffice in fr-CA
 * open without an import dialog); in English, "," and a decimal point. Fields are quoted as RFC
 * 4180 says (a separator, a quote or a line break inside: in double quotes, quotes doubled), lines
 * end with CRLF, and the file starts with a UTF-8 byte-order mark so Excel reads accents.
 * Every amount is there twice: in dollars with two decimals, and in cents (an integer, the exact
 * figure Tissu keeps). Dates and times are on Montréal's clock ("2026-03-02 09:00", the zone named
 * in the header), as a person reads them; the instants in UTC (ISO 8601) close each line, for a
 * program. States and kinds are words in her language, each with its code beside it (csv-words.ts).
 */
const SEPARATOR: Record<AppLocale, string> = { fr: ';', en: ',' };

/** A cell typed by a person is never run as a formula (OWASP's CSV injection advice). */
const typed = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

function cell(v: unknown, sep: string): string {
  const s = v === null || v === undefined ? '' : String(v);
  return s.includes(sep) || /["\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function table(lang: AppLocale, header: string[], lines: unknown[][]): string {
  const sep = SEPARATOR[lang];
  return `\uFEFF${[header, ...lines].map((l) => l.map((v) => cell(v, sep)).join(sep)).join('\r\n')}\r\n`;
}

const dollars = (lang: AppLocale, cents: unknown) => {
  const text = (Number(cents ?? 0) / 100).toFixed(2);
  return lang === 'fr' ? text.replace('.', ',') : text;
};
/** An amount as two columns: dollars, then cents. */
const amount = (lang: AppLocale, cents: unknown) => [dollars(lang, cents), Number(cents ?? 0)];
const amountHeads = (what: string) => [`${what} ($)`, `${what} (¢)`];

const H = {
  fr: {
    bookings: ['Réservation', 'Demandée le (America/Toronto)', 'État', 'État (code)', 'Service', 'Coopérative',
      'Début (America/Toronto)', 'Fin (America/Toronto)', 'Durée (min)', 'Adresse', 'Notes',
      'Nom de contact', 'Téléphone de contact', 'Courriel de contact', 'Visites régulières'],
    bookingInstants: ['Demandée le (UTC ISO 8601)', 'Début (UTC ISO 8601)', 'Fin (UTC ISO 8601)'],
    price: 'Prix',
    payments: ['Opération', 'Paiement', 'Réservation', 'Coopérative', 'État', 'État (code)', 'Reçu', 'Date (America/Toronto)', 'Motif'],
    paymentInstant: 'Date (UTC ISO 8601)',
    service: 'Service', gst: 'TPS', qst: 'TVQ', total: 'Total', refunded: 'Remboursé',
    statements: ['Exercice', 'Plan', 'État du plan', 'État du plan (code)', 'Adhésion', 'Catégorie', 'Catégorie (code)', 'Patronage (unités)'],
    allocation: 'Ristourne', cash: 'Partie en argent', retained: 'Partie au capital', carriedIn: 'Report reçu', paid: 'Versé', withholding: 'Impôt retenu', carriedForward: 'Reporté',
    payment: 'paiement', refund: 'remboursement',
  },
  en: {
    bookings: ['Booking', 'Requested (America/Toronto)', 'State', 'State (code)', 'Service', 'Co-op',
      'Starts (America/Toronto)', 'Ends (America/Toronto)', 'Duration (min)', 'Address', 'Notes',
      'Contact name', 'Contact phone', 'Contact email', 'Regular visits'],
    bookingInstants: ['Requested (UTC ISO 8601)', 'Starts (UTC ISO 8601)', 'Ends (UTC ISO 8601)'],
    price: 'Price',
    payments: ['Operation', 'Payment', 'Booking', 'Co-op', 'Status', 'Status (code)', 'Receipt', 'Date (America/Toronto)', 'Reason'],
    paymentInstant: 'Date (UTC ISO 8601)',
    service: 'Service', gst: 'GST', qst: 'QST', total: 'Total', refunded: 'Refunded',
    statements: ['Fiscal year', 'Plan', 'Plan status', 'Plan status (code)', 'Membership', 'Class', 'Class (code)', 'Patronage (units)'],
    allocation: 'Refund', cash: 'Cash part', retained: 'Retained part', carriedIn: 'Carried in', paid: 'Paid', withholding: 'Withholding', carriedForward: 'Carried forward',
    payment: 'payment', refund: 'refund',
  },
} as const;

const title = (lang: AppLocale, r: Record<string, unknown>) => String((lang === 'fr' ? r.listingTitleFr : r.listingTitleEn) ?? '');

export function bookingsCsv(d: PersonData, lang: AppLocale): string {
  const h = H[lang];
  return table(lang, [...h.bookings, ...amountHeads(h.price), ...h.bookingInstants], d.bookings.map((b) => [
    b.id, montreal(b.createdAt), bookingStateWord(lang, b.state), b.state, typed(title(lang, b)), typed(String(b.coopName)),
    montreal(b.startsAt), montreal(b.endsAt), b.durationMinutes,
    typed(String(b.address ?? '')), typed(String(b.notes ?? '')), typed(String(b.contactName ?? '')), typed(String(b.contactPhone ?? '')),
    typed(String(b.contactEmail ?? '')), b.seriesId ?? '', ...amount(lang, b.priceCents), b.createdAt, b.startsAt, b.endsAt,
  ]));
}

/** One line per payment, then one per refund of it (its amounts as returned to her, positive). */
export function paymentsCsv(d: PersonData, lang: AppLocale): string {
  const h = H[lang];
  const heads = [...h.payments, ...amountHeads(h.service), ...amountHeads(h.gst), ...amountHeads(h.qst), ...amountHeads(h.total), ...amountHeads(h.refunded), h.paymentInstant];
  const lines: unknown[][] = [];
  for (const p of d.payments) {
    const at = p.paidAt ?? p.createdAt;
    lines.push([h.payment, p.id, p.bookingId, typed(String(p.coopName)), paymentStatusWord(lang, p.status), p.status, p.receiptNumber ?? '', montreal(at), '',
      ...amount(lang, p.serviceCents), ...amount(lang, p.gstCents), ...amount(lang, p.qstCents), ...amount(lang, p.totalCents), ...amount(lang, p.refundedCents), at]);
    for (const r of p.refunds as Record<string, unknown>[]) {
      lines.push([h.refund, p.id, r.bookingId, typed(String(p.coopName)), refundKindWord(lang, r.kind), r.kind, '', montreal(r.createdAt), typed(String(r.reason ?? '')),
        ...amount(lang, r.serviceCents), ...amount(lang, r.gstCents), ...amount(lang, r.qstCents), ...amount(lang, r.totalCents), '', '', r.createdAt]);
    }
  }
  return table(lang, heads, lines);
}

export function statementsCsv(d: PersonData, lang: AppLocale): string {
  const h = H[lang];
  const heads = [...h.statements, ...[h.allocation, h.cash, h.retained, h.carriedIn, h.paid, h.withholding, h.carriedForward].flatMap(amountHeads)];
  return table(lang, heads, d.membership.patronageStatements.map((s) => [
    s.fiscalYear, s.planId, planStatusWord(lang, s.planStatus), s.planStatus, s.membershipId, memberClassWord(lang, s.memberClass), s.memberClass, s.units,
    ...[s.allocationCents, s.cashCents, s.retainedCents, s.carriedInCents, s.paidCents, s.withholdingCents, s.carriedForwardCents].flatMap((c) => amount(lang, c)),
  ]));
}
