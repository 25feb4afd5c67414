/**
 * Fictional Montréal demo content: twelve member co-ops, their listings and the accounts that
 * sign in to them. Names, NEQs and emails are invented; `.demo` is not a deliverable domain.
 */
import { codeCommun, chiffresJustes, encreEtPixel, passerelles } from './coops-professional.js';
import { balaisVerts, menageEclat, pattesEtTrottoirs, petitsPas } from './coops-neighbourhood.js';
import { demenageursSolidaires, laMarmite, racinesUrbaines, roueLibre } from './coops-trades.js';
import type { DemoCoop, DemoPerson } from './types.js';

export type { DemoCoop, DemoListing, DemoPerson } from './types.js';

/** Every demo account signs in with this password. */
export const DEMO_PASSWORD = 'tissu-demo-2026';

/** The first co-op is the one `admin@tissu.demo` and `travailleuse@tissu.demo` belong to. */
export const DEMO_COOPS: readonly DemoCoop[] = [
  menageEclat,
  balaisVerts,
  petitsPas,
  pattesEtTrottoirs,
  demenageursSolidaires,
  codeCommun,
  encreEtPixel,
  chiffresJustes,
  passerelles,
  racinesUrbaines,
  roueLibre,
  laMarmite,
];

export const DEMO_STEWARD: DemoPerson = { email: 'steward@tissu.demo', name: 'Louise Gagnon', locale: 'fr' };
export const DEMO_CLIENT: DemoPerson = { email: 'client@tissu.demo', name: 'Jonathan Roy', locale: 'fr' };

export interface DemoAccount {
  email: string;
  name: string;
  /** What signing in as this account lets you try, for the start script's welcome message. */
  role: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { ...pickAccount(DEMO_STEWARD), role: 'Steward (platform board): approves co-ops, fiscal year, surplus plan' },
  { ...pickAccount(DEMO_CLIENT), role: 'Client: searches, books and pays' },
  ...DEMO_COOPS.flatMap((coop) => [
    { ...pickAccount(coop.admin), role: `Co-op admin — ${coop.legalName}` },
    ...(coop.workers ?? []).map((w) => ({ ...pickAccount(w), role: `Worker-member — ${coop.legalName}` })),
  ]),
];

function pickAccount(p: DemoPerson): Omit<DemoAccount, 'role'> {
  return { email: p.email, name: p.name };
}
