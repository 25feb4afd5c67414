import { and, asc, eq, inArray } from 'drizzle-orm';
import { formatMoney, type AppLocale } from '@tissu/shared';
import { schema, type Tx } from '@tissu/db';
import type { OutgoingMail } from '../../plugins/mailer.js';
import { formatDeadline, HOME_ZONE, ofName } from './format.js';

export const PLAN_MESSAGES = ['proposed'] as const;

export interface PlanMessagePayload {
  type: 'surplus_plan';
  message: (typeof PLAN_MESSAGES)[number];
  planId: string;
  proposalId: string;
  /** The memberships the recipient holds or administers: one email tells all their shares. */
  membershipIds: string[];
  /** Rows queued before one email per person carried a single membership. */
  membershipId?: string;
  recipientId: string;
}

const T: Record<AppLocale, { subject: string; lines: string[] }> = {
  fr: {
    subject: 'Ristournes {year} : le plan est soumis au vote {until}',
    lines: [
      'Le conseil propose de répartir le trop-perçu {year} de la plateforme ({surplus}) : {reserve} à la réserve générale et {pool} en ristournes aux membres.',
      'La part {ofHolder} : {allocation}, dont {cash} en argent et {retained} portés au capital social.',
      'Chaque membre a une voix. Votez {by} : {url}',
    ],
  },
  en: {
    subject: 'Patronage refunds {year}: the plan is put to the vote {until}',
    lines: [
      'The board proposes to distribute the platform’s {year} surplus ({surplus}): {reserve} to the general reserve and {pool} as patronage refunds to members.',
      'The share of {holder}: {allocation}, of which {cash} in cash and {retained} credited to member capital.',
      'One member, one vote. Vote {by}: {url}',
    ],
  },
};

const fill = (t: string, v: Record<string, string>) => t.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? '');

/** The "plan proposed" email, in the recipient's language; null once the vote is no longer open. */
export async function renderPlanMessage(tx: Tx, p: PlanMessagePayload, webOrigin: string): Promise<OutgoingMail | null> {
  const [proposal] = await tx.select().from(schema.proposals).where(eq(schema.proposals.id, p.proposalId));
  const [plan] = await tx.select().from(schema.surplusPlans).where(eq(schema.surplusPlans.id, p.planId));
  const [recipient] = await tx.select().from(schema.users).where(eq(schema.users.id, p.recipientId));
  if (!proposal || proposal.status !== 'open' || !plan?.result || !recipient) return null;
  // Assembly news is optional (the account page): checked when it leaves, so a choice made since counts.
  if (!recipient.assemblyEmails) return null;
  const [year] = await tx.select().from(schema.fiscalYears).where(eq(schema.fiscalYears.id, plan.fiscalYearId));
  const membershipIds = p.membershipIds ?? (p.membershipId ? [p.membershipId] : []);
  const shares = membershipIds.length
    ? await tx
        .select({ line: schema.planAllocations, user: schema.users.name, coop: schema.coops.legalName })
        .from(schema.planAllocations)
        .innerJoin(schema.memberships, eq(schema.memberships.id, schema.planAllocations.membershipId))
        .leftJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
        .leftJoin(schema.coops, eq(schema.coops.id, schema.memberships.coopId))
        .where(and(eq(schema.planAllocations.planId, p.planId), inArray(schema.planAllocations.membershipId, membershipIds)))
        .orderBy(asc(schema.planAllocations.membershipId))
    : [];
  const locale = recipient.locale;
  const money = (c: number) => formatMoney(c, locale);
  const result = plan.result;
  const values = {
    year: year?.label ?? '',
    // "jusqu'au lundi 16 mars 2026 à 9 h 00", or "jusqu'à la fin du …" for a vote closing at midnight.
    ...formatDeadline(proposal.closesAt, HOME_ZONE, locale),
    surplus: money(result.figures.surplusCents),
    reserve: money(result.allocation.reserveCents),
    pool: money(result.allocation.patronagePoolCents),
    // The vote form is on the assembly page, one card per open proposal, anchored by its id.
    url: `${webOrigin}/assembly#proposal-${proposal.id}`,
  };
  const t = T[locale];
  const shareLines = shares.map(({ line, user, coop }) => fill(t.lines[1]!, {
    holder: coop ?? user ?? '',
    ofHolder: ofName(coop ?? user ?? ''),
    allocation: money(line.allocationCents),
    cash: money(line.cashCents),
    retained: money(line.retainedCents),
  }));
  const lines = [fill(t.lines[0]!, values), ...shareLines, fill(t.lines[2]!, values)];
  return { to: recipient.email, subject: fill(t.subject, values), text: lines.join('\n\n') };
}
