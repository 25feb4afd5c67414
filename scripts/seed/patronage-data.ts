/**
 * The platform co-op's demo history: who joined when, a year's books (expenses, other income),
 * the surplus plan, and the by-law amendment now put to the vote. Invented figures of a plausible
 * size for a young Montréal platform co-op. Dates are month-days ('01-20') of the first demo year:
 * the history follows today's year (see demoYears).
 */
import { booksDate } from '../../server/src/lib/calendar.js';
import type { DemoPerson } from './types.js';

/**
 * The demo's three fiscal years, from today's year in Montréal: the one before last was closed and
 * its plan voted and paid (statements to read), last year is closed with a draft plan a steward can
 * simulate, propose, put to the vote and pay, and this year is open.
 */
export function demoYears(now = new Date()): { paid: number; drafted: number; open: number } {
  const open = Number(booksDate(now).slice(0, 4));
  return { paid: open - 2, drafted: open - 1, open };
}

/** '2024-01-20' for '01-20' in 2024. */
export const on = (year: number, monthDay: string): string => `${year}-${monthDay}`;

/** Demo clients beyond client@tissu.demo; `memberFrom` null: books without joining; `leftOn` in the same year. */
export const DEMO_PATRONS: readonly (DemoPerson & { memberFrom: string | null; leftOn?: string })[] = [
  { email: 'famille.gauthier@tissu.demo', name: 'Claire Gauthier', locale: 'fr', memberFrom: '01-20' },
  { email: 'kwame.mensah@tissu.demo', name: 'Kwame Mensah', locale: 'en', memberFrom: '03-03' },
  { email: 'cdc.rosemont@tissu.demo', name: 'CDC Rosemont (Hélène Caron)', locale: 'fr', memberFrom: '02-10' },
  { email: 'yasmine.belkacem@tissu.demo', name: 'Yasmine Belkacem', locale: 'fr', memberFrom: '05-12' },
  { email: 'tom.oconnor@tissu.demo', name: "Tom O'Connor", locale: 'en', memberFrom: '01-27', leftOn: '10-01' },
  { email: 'lucie.morin@tissu.demo', name: 'Lucie Morin', locale: 'fr', memberFrom: null },
  { email: 'david.cohen@tissu.demo', name: 'David Cohen', locale: 'en', memberFrom: null },
  { email: 'ana.silva@tissu.demo', name: 'Ana Silva', locale: 'fr', memberFrom: null },
];

/** A supporting member: capital, a vote, no patronage. */
export const DEMO_SUPPORTER: DemoPerson & { memberFrom: string } = { email: 'appui@tissu.demo', name: 'Denis Lapointe', locale: 'fr', memberFrom: '01-06' };

export const CLIENT_MEMBER_FROM = '02-03';
export const TRAVAILLEUSE_MEMBER_FROM = '01-06';

/** Producer members from Jan 1 except two co-ops that joined during the year (business before does not count). */
export const PRODUCER_FROM: Readonly<Record<string, string>> = { 'la-marmite': '04-01', 'roue-libre': '06-16' };
/** Co-op admins who also work in their co-op and joined as worker-members. */
export const WORKER_ADMINS: Readonly<Record<string, string>> = {
  'menage-eclat': '01-06', 'balais-verts': '01-13', 'petits-pas': '02-03', 'pattes-et-trottoirs': '01-13',
  'demenageurs-solidaires': '03-03', 'code-commun': '01-20', 'racines-urbaines': '04-07', 'la-marmite': '04-01',
};

/** Bookings per week, by co-op (Ménage Éclat busiest: most of travailleuse@'s hours). */
export const WEEKLY_BOOKINGS: Readonly<Record<string, number>> = {
  'menage-eclat': 5, 'balais-verts': 2, 'petits-pas': 2, 'pattes-et-trottoirs': 3, 'demenageurs-solidaires': 1, 'code-commun': 1,
  'encre-et-pixel': 1, 'chiffres-justes': 1, passerelles: 1, 'racines-urbaines': 1, 'roue-libre': 2, 'la-marmite': 1,
};

type BookRecord = { kind: 'expense' | 'income'; category: string; amountCents: number; note: string; months: number[]; day: number };
const ALL_MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
/** A year's books beyond the ledger's own fees: what stewards recorded (in French, as they would). */
export const RECORDS: readonly BookRecord[] = [
  { kind: 'expense', category: 'Loyer', amountCents: 45_000, note: 'Bureau partagé, Espace coopératif Rosemont', months: ALL_MONTHS, day: 1 },
  { kind: 'expense', category: 'Logiciels et hébergement', amountCents: 31_000, note: 'Hébergement, courriel, nom de domaine', months: ALL_MONTHS, day: 3 },
  { kind: 'expense', category: 'Coordination', amountCents: 60_000, note: 'Coordination (honoraires, 10 h par semaine)', months: ALL_MONTHS, day: 15 },
  { kind: 'expense', category: 'Assurances', amountCents: 62_500, note: 'Assurance responsabilité civile (trimestre)', months: [1, 4, 7, 10], day: 10 },
  { kind: 'expense', category: 'Comptabilité', amountCents: 240_000, note: 'Mission d’examen des états financiers de l’an dernier', months: [4], day: 28 },
  { kind: 'expense', category: 'Assemblée générale', amountCents: 38_000, note: 'Salle et traduction, assemblée générale', months: [3], day: 22 },
  { kind: 'income', category: 'Subvention', amountCents: 2_000_000, note: 'Fonds d’économie sociale, Ville de Montréal', months: [2], day: 14 },
  { kind: 'income', category: 'Subvention', amountCents: 800_000, note: 'PME MTL, volet économie sociale', months: [9], day: 5 },
  { kind: 'income', category: 'Intérêts', amountCents: 4_200, note: 'Intérêts du compte à la caisse', months: [6, 12], day: 30 },
];
/** The open year so far: the recurring ones, for the months already started. */
export const RECURRING = RECORDS.filter((r) => r.months.length === 12);

/** The plan the members adopted for the paid year; the draft for the closed year starts from it. */
export const PLAN = { reserveBps: 2_000, weights: { producer: 4_000, worker: 4_000, user: 2_000 }, cashBps: 4_000, thresholdCents: 2_500 };

export const BYLAW_PROPOSAL = {
  title: 'Règlement no 3 : un siège réservé aux membres utilisateurs au conseil / By-law 3: a board seat for user members',
  body: [
    'Le conseil d’administration passe de 7 à 9 sièges : un siège est réservé aux membres utilisateurs et un aux membres travailleurs, élus par leur catégorie à l’assemblée annuelle.',
    'The board grows from 7 to 9 seats: one seat is reserved for user members and one for worker-members, each elected by its class at the annual assembly.',
  ].join('\n\n'),
};
