import type { Statement } from '@tissu/shared';
import { exactCents, exactDollars } from '@tissu/shared';

/**
 * Patronage statements as a spreadsheet, in the reader's language. The CSV follows what a
 * spreadsheet of that locale opens without an import dialog:
 *   fr: columns separated by ";" and a decimal comma (Excel and LibreOffice in fr-CA/fr-FR);
 *   en: columns separated by "," and a decimal point.
 * Numbers are plain numbers — no currency sign, no thousands separator — so a spreadsheet can
 * add them up: amounts in dollars with two decimals, patronage in hours for workers (minutes ÷ 60,
 * up to 4 decimals) and in dollars otherwise, the class share in percent and the class rate to
 * 6 decimals (truncated: the exact figure the statement page writes). UTF-8 with a byte-order
 * mark, which Excel needs to read accented names; lines end with CRLF (RFC 4180).
 */
export type CsvLanguage = 'fr' | 'en';

const HEADERS: Record<CsvLanguage, string[]> = {
  fr: [
    'Exercice', 'Plan', 'Statut du plan', 'Adhésion', 'Membre', 'Catégorie', 'Unité', 'Patronage', 'Patronage de la catégorie',
    'Part de la catégorie (%)', 'Enveloppe de la catégorie ($)', 'Taux ($ par unité)', 'Ristourne ($)', 'Partie en argent ($)',
    'Partie au capital ($)', 'Report reçu ($)', 'Versé ($)', 'Impôt retenu ($)', 'Net versé ($)', 'Reporté ($)',
  ],
  en: [
    'Fiscal year', 'Plan', 'Plan status', 'Membership', 'Member', 'Class', 'Unit', 'Patronage', 'Class patronage',
    'Class share (%)', 'Class pool ($)', 'Rate ($ per unit)', 'Refund ($)', 'Cash part ($)',
    'Retained part ($)', 'Carried in ($)', 'Paid ($)', 'Withholding ($)', 'Net paid ($)', 'Carried forward ($)',
  ],
};

const WORDS = {
  fr: {
    class: { producer: 'coop productrice', worker: 'membre travailleur', user: 'membre utilisateur', supporting: 'membre de soutien' },
    status: { draft: 'brouillon', proposed: 'proposé', approved: 'adopté', paid: 'payé' },
    unit: { minutes: 'heures', service_cents: '100 $ de services', paid_cents: '100 $ payés' },
  },
  en: {
    class: { producer: 'producer co-op', worker: 'worker-member', user: 'user-member', supporting: 'supporting member' },
    status: { draft: 'draft', proposed: 'proposed', approved: 'approved', paid: 'paid' },
    unit: { minutes: 'hours', service_cents: '$100 of services', paid_cents: '$100 paid' },
  },
} as const;

const SEPARATOR: Record<CsvLanguage, string> = { fr: ';', en: ',' };

/** A plain decimal ("815.68") in the locale's decimal mark. */
const decimal = (lang: CsvLanguage, plain: string) => (lang === 'fr' ? plain.replace('.', ',') : plain);
const dollars = (lang: CsvLanguage, cents: number) => decimal(lang, (cents / 100).toFixed(2));
/** Minutes as hours: 38040 → "634", 188205 → "3136.75", 20 → "0.3333". */
const hours = (lang: CsvLanguage, minutes: number) => decimal(lang, String(Number((minutes / 60).toFixed(4))));
const patronage = (lang: CsvLanguage, s: Statement, units: number) => (s.unit === null ? '' : s.unit === 'minutes' ? hours(lang, units) : dollars(lang, units));

/**
 * A name people typed, as a spreadsheet must not run it: a cell starting with = + - @ (or a tab or
 * carriage return) is a formula to Excel and LibreOffice, so it is read as text (OWASP's CSV
 * injection advice: a leading apostrophe). Amounts are written by us and stay numbers.
 */
const typed = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

function cell(v: string, separator: string): string {
  return v.includes(separator) || /["\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function statementsCsv(statements: Statement[], lang: CsvLanguage = 'fr'): string {
  const sep = SEPARATOR[lang];
  const w = WORDS[lang];
  const lines = statements.map((s) => {
    const share = s.classUnits > 0 ? decimal(lang, exactDollars(exactCents(s.patronageUnits, 10_000, s.classUnits), 2).decimal) : '';
    const rate = s.rate && s.classUnits > 0
      ? decimal(lang, exactDollars(exactCents(s.classPoolCents, s.rate.per === 'hour' ? 60 : 10_000, s.classUnits), 4).decimal)
      : '';
    return [
      s.fiscalYear.label, s.planId, w.status[s.planStatus], s.membershipId, typed(s.holderName), w.class[s.memberClass], s.unit ? w.unit[s.unit] : '',
      patronage(lang, s, s.patronageUnits), patronage(lang, s, s.classUnits), share, s.unit === null ? '' : dollars(lang, s.classPoolCents), rate,
      dollars(lang, s.allocationCents), dollars(lang, s.cashPartCents), dollars(lang, s.retainedPartCents), dollars(lang, s.carriedInCents),
      dollars(lang, s.paidCents), dollars(lang, s.withholdingCents), dollars(lang, s.netPaidCents), dollars(lang, s.carryForwardCents),
    ].map((v) => cell(v, sep)).join(sep);
  });
  return `\uFEFF${[HEADERS[lang].join(sep), ...lines].join('\r\n')}\r\n`;
}
