import { strToU8, zipSync } from 'fflate';
import type { AppLocale } from '@tissu/shared';
import type { PersonData } from './gather.js';
import { bookingsCsv, paymentsCsv, statementsCsv } from './csv.js';

const README: Record<AppLocale, (at: string) => string> = {
  fr: (at) => [
    'Vos données chez Tissu',
    '',
    `Archive préparée le ${at} (UTC).`,
    '',
    'data.json : tout ce que Tissu conserve à votre sujet, regroupé : compte, sessions (appareils et dates),',
    'réservations (avec leur historique, en UTC et à l’heure locale du service), paiements, remboursements et reçus,',
    'carte enregistrée (marque et 4 derniers chiffres seulement), visites régulières, conversations et messages,',
    'avis, adhésions, relevés de ristourne et mouvements du compte de capital, travail (visites, minutes, absences),',
    'invitations, agendas abonnés et vos demandes d’archive. Les montants y sont en cents (entiers).',
    'Aucun mot de passe, jeton ni clé secrète n’y figure.',
    '',
    'bookings.csv, payments.csv, statements.csv : réservations, paiements et remboursements, relevés de ristourne.',
    'Colonnes séparées par « ; », virgule décimale, UTF-8 avec BOM (Excel en français les ouvre tels quels).',
    'Chaque montant y figure deux fois : en dollars avec deux décimales ($) et en cents (¢).',
    'Dates et heures à l’heure de Montréal (America/Toronto), puis en UTC (ISO 8601) en fin de ligne ;',
    'chaque état est en toutes lettres, et son code dans la colonne « (code) ».',
    '',
    'Une question sur vos renseignements personnels : voyez la page « Vie privée » de Tissu (/confidentialite).',
  ].join('\r\n'),
  en: (at) => [
    'Your data at Tissu',
    '',
    `Archive prepared on ${at} (UTC).`,
    '',
    'data.json: everything Tissu keeps about you, grouped: account, sessions (devices and dates), bookings (with',
    'their history, in UTC and on the listing’s local time), payments, refunds and receipts, saved card (brand and',
    'last 4 digits only), regular visits, conversations and messages, reviews, memberships, patronage statements and',
    'capital account movements, work (visits, minutes, time off), invitations, calendar feeds and your archive requests.',
    'Amounts there are in cents (integers). No password, token or secret key is in it.',
    '',
    'bookings.csv, payments.csv, statements.csv: bookings, payments and refunds, patronage statements.',
    'Columns separated by ",", decimal point, UTF-8 with a BOM. Every amount is there twice: in dollars with two',
    'decimals ($) and in cents (¢). Dates and times on Montréal’s clock (America/Toronto), then in UTC (ISO 8601)',
    'at the end of the line; each state is in words, and its code in the "(code)" column.',
    '',
    'A question about your personal information: see Tissu’s Privacy page (/privacy).',
  ].join('\r\n'),
};

export const ARCHIVE_FILES = ['data.json', 'bookings.csv', 'payments.csv', 'statements.csv'] as const;

/** The zip a person downloads, in her language (file names and data.json's keys stay English). */
export function buildArchive(d: PersonData, lang: AppLocale, at: Date): Uint8Array {
  const mtime = at;
  const file = (text: string) => [strToU8(text), { mtime }] as [Uint8Array, { mtime: Date }];
  const readme = lang === 'fr' ? 'LISEZ-MOI.txt' : 'README.txt';
  return zipSync({
    [readme]: file(`\uFEFF${README[lang](at.toISOString())}\r\n`),
    'data.json': file(JSON.stringify({ generatedAt: at.toISOString(), amountsIn: 'cents (CAD)', ...d }, null, 2)),
    'bookings.csv': file(bookingsCsv(d, lang)),
    'payments.csv': file(paymentsCsv(d, lang)),
    'statements.csv': file(statementsCsv(d, lang)),
  }, { level: 6 });
}
