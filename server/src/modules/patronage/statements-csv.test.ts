import { describe, expect, it } from 'vitest';
import type { Statement } from '@tissu/shared';
import { statementsCsv } from './statements-csv.js';

/** Amina's 2025 statement as the demo data has it. */
const amina: Statement = {
  planId: 'de0dce0f-8460-4b5d-9608-318accb16618',
  planStatus: 'paid',
  fiscalYear: { id: 1, label: '2025', startsOn: '2025-01-01', endsOn: '2025-12-31' },
  membershipId: '3c35c656-816c-46a7-8624-bbac69acc769',
  holderName: 'Amina Diallo; "Mimi"',
  memberClass: 'worker',
  unit: 'minutes',
  patronageUnits: 38_040,
  classUnits: 188_205,
  classSharePpm: 202_120,
  classPoolCents: 403_561,
  rate: { per: 'hour', cents: 129, fr: '1,29 $ par heure livrée', en: '$1.29 per hour delivered' },
  allocationCents: 81_568,
  cashPartCents: 32_628,
  retainedPartCents: 48_940,
  carriedInCents: 0,
  paidCents: 32_628,
  withholdingCents: 3_394,
  netPaidCents: 29_234,
  carryForwardCents: 0,
  months: [],
  paymentDeadline: '2026-12-31',
  explanation: [],
};

const parse = (csv: string, sep: string) => {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const [header, ...lines] = csv.slice(1).trimEnd().split('\r\n');
  // Cells split on the separator outside quotes.
  const cells = (line: string) => [...line.matchAll(new RegExp(`("(?:[^"]|"")*"|[^${sep}]*)(?:${sep}|$)`, 'g'))].map((m) => m[1]!).slice(0, -1);
  const columns = header!.split(sep);
  return lines.map((l) => Object.fromEntries(cells(l).map((v, i) => [columns[i], v])));
};

describe('statements CSV', () => {
  it('in French: headers in French, ";" between columns, decimal commas, hours, plain numbers', () => {
    const [row] = parse(statementsCsv([amina], 'fr'), ';');
    expect(row).toMatchObject({
      Exercice: '2025',
      'Statut du plan': 'payé',
      Membre: '"Amina Diallo; ""Mimi"""',
      Catégorie: 'membre travailleur',
      Unité: 'heures',
      Patronage: '634',
      'Patronage de la catégorie': '3136,75',
      'Part de la catégorie (%)': '20,2120',
      'Enveloppe de la catégorie ($)': '4035,61',
      'Taux ($ par unité)': '1,286557',
      'Ristourne ($)': '815,68',
      'Partie en argent ($)': '326,28',
      'Net versé ($)': '292,34',
    });
    // A spreadsheet reads them as numbers: 634 h ÷ 3136,75 h × 4035,61 $ gives the refund back.
    const n = (v: string) => Number(v.replace(',', '.'));
    expect(Math.round((n(row!.Patronage!) / n(row!['Patronage de la catégorie']!)) * n(row!['Enveloppe de la catégorie ($)']!) * 100)).toBe(81_568);
  });

  it('in English: headers in English, "," between columns, decimal points', () => {
    const [row] = parse(statementsCsv([{ ...amina, holderName: 'Amina Diallo' }], 'en'), ',');
    expect(row).toMatchObject({
      'Fiscal year': '2025', 'Plan status': 'paid', Member: 'Amina Diallo', Class: 'worker-member', Unit: 'hours',
      Patronage: '634', 'Class patronage': '3136.75', 'Refund ($)': '815.68', 'Withholding ($)': '33.94', 'Carried forward ($)': '0.00',
    });
  });

  it('writes minutes that are not whole hundredths of an hour with four decimals', () => {
    const [row] = parse(statementsCsv([{ ...amina, patronageUnits: 20 }], 'en'), ',');
    expect(row!.Patronage).toBe('0.3333');
  });

  it('keeps a typed name from running as a formula in a spreadsheet; amounts stay numbers', () => {
    const names = ['=HYPERLINK("http://evil.example/";"Amina")', '+1 514 555', '-2+3', '@SUM(A1)', '\t=1+1'];
    const rows = parse(statementsCsv(names.map((holderName) => ({ ...amina, holderName, carryForwardCents: -150 })), 'en'), ',');
    expect(rows.map((r) => r.Member)).toEqual([
      '"\'=HYPERLINK(""http://evil.example/"";""Amina"")"', "'+1 514 555", "'-2+3", "'@SUM(A1)", "'\t=1+1",
    ]);
    expect(rows.every((r) => r['Carried forward ($)'] === '-1.50')).toBe(true);
    expect(parse(statementsCsv([{ ...amina, holderName: 'Amina Diallo' }], 'en'), ',')[0]!.Member).toBe('Amina Diallo');
  });
});
