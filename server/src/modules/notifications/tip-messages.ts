import { asc, eq } from 'drizzle-orm';
import { formatMoney, publicName, splitByWeights, type AppLocale } from '@tissu/shared';
import { schema, type Tx } from '@tissu/db';
import type { OutgoingMail } from '../../plugins/mailer.js';
import { formatDateTime, ofName } from './format.js';

/** thanks: to the client, her tip's receipt; share: to each worker assigned to the visit, her part of it. */
export const TIP_MESSAGES = ['thanks', 'share'] as const;

export interface TipMessagePayload {
  type: 'tip';
  message: (typeof TIP_MESSAGES)[number];
  tipId: string;
  recipientId: string;
}

const T: Record<(typeof TIP_MESSAGES)[number], Record<AppLocale, { subject: string; lines: string[] }>> = {
  thanks: {
    fr: {
      subject: 'Merci pour votre pourboire : {title}',
      lines: [
        'Merci ! Votre pourboire de {amount} pour {title} le {when} a été payé.',
        'Il va en entier à l’équipe de {coop} : aucuns frais de plateforme, aucune taxe.',
        'Votre reçu : {receipt}',
      ],
    },
    en: {
      subject: 'Thank you for your tip: {title}',
      lines: [
        'Thank you! Your tip of {amount} for {title} on {when} was paid.',
        'All of it goes to the {coop} team: no platform fee, no tax.',
        'Your receipt: {receipt}',
      ],
    },
  },
  share: {
    fr: {
      subject: 'Un pourboire pour {title}',
      lines: [
        '{client} a laissé un pourboire de {amount} pour {title} le {when}.',
        'Votre part : {share}{among}.',
        'Vos pourboires de l’année : {visits}',
      ],
    },
    en: {
      subject: 'A tip for {title}',
      lines: [
        '{client} left a tip of {amount} for {title} on {when}.',
        'Your share: {share}{among}.',
        'Your tips this year: {visits}',
      ],
    },
  },
};

const fill = (t: string, v: Record<string, string>) => t.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? '');

/** Who was on the visit, by user id: the order the tips statement splits a tip in (tips' byWorker). */
export async function teamOf(tx: Tx, bookingId: string): Promise<string[]> {
  const rows = await tx.select({ userId: schema.bookingWorkers.userId }).from(schema.bookingWorkers).where(eq(schema.bookingWorkers.bookingId, bookingId)).orderBy(asc(schema.bookingWorkers.userId));
  return rows.map((r) => r.userId);
}

/** In the recipient's language; null for a tip not paid, or a worker no longer on the visit. */
export async function renderTipMessage(tx: Tx, p: TipMessagePayload, webOrigin: string): Promise<OutgoingMail | null> {
  const [row] = await tx
    .select({ tip: schema.tips, booking: schema.bookings, listing: schema.listings, coop: schema.coops, client: schema.users })
    .from(schema.tips)
    .innerJoin(schema.bookings, eq(schema.bookings.id, schema.tips.bookingId))
    .innerJoin(schema.listings, eq(schema.listings.id, schema.bookings.listingId))
    .innerJoin(schema.coops, eq(schema.coops.id, schema.bookings.coopId))
    .innerJoin(schema.users, eq(schema.users.id, schema.tips.clientId))
    .where(eq(schema.tips.id, p.tipId));
  const [recipient] = await tx.select().from(schema.users).where(eq(schema.users.id, p.recipientId));
  if (!row || !recipient || row.tip.status !== 'paid') return null;
  const { tip, booking: b, listing, coop, client } = row;
  const locale = recipient.locale;
  const money = (c: number) => formatMoney(c, locale);
  const title = locale === 'fr' ? listing.titleFr : listing.titleEn;
  const values: Record<string, string> = {
    title, ofTitle: ofName(title), when: formatDateTime(b.startsAt, b.timeZone, locale), coop: coop.legalName,
    amount: money(tip.amountCents), client: publicName(client.name),
    receipt: `${webOrigin}/bookings/${b.id}/receipt`, visits: `${webOrigin}/visits`,
  };
  if (p.message === 'share') {
    const team = await teamOf(tx, b.id);
    const i = team.indexOf(recipient.id);
    if (i < 0) return null;
    values.share = money(splitByWeights(tip.amountCents, team.map(() => 1))[i]!);
    values.among = team.length > 1 ? (locale === 'fr' ? ` (partagé à parts égales entre ${team.length} personnes)` : ` (split equally among ${team.length} people)`) : '';
  } else if (recipient.id !== client.id) {
    return null;
  }
  const t = T[p.message][locale];
  return { to: recipient.email, subject: fill(t.subject, values), text: t.lines.map((l) => fill(l, values)).join('\n\n') };
}
