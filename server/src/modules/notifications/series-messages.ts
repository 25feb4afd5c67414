import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { formatMoney, occurrencesOn, type AppLocale, type SeriesRule } from '@tissu/shared';
import { schema, type Tx } from '@tissu/db';
import type { OutgoingMail } from '../../plugins/mailer.js';
import { formatDate, formatDateTime, formatTime, toName } from './format.js';
import { calendarMethod, LIVE, seriesIcs } from './series-calendar.js';
import { addonsInWords } from './addon-lines.js';

export type SeriesMessage =
  | 'requested' // to the co-op's admins: a client asks for regular visits
  | 'booked' // to the admins: regular visits booked at once (instant listing)
  | 'received' // to the client: the request waits for the co-op
  | 'accepted' // to the client: the co-op said yes (or instant), with the recurring calendar event
  | 'declined' // to the client
  | 'lapsed' // to both: the request went unanswered, every visit lapsed
  | 'gap' // to both: a date the rule gives cannot be a visit; the client chooses (the co-op reads that she was asked)
  | 'gap_moved' // to both and the team: the client took another time for that date
  | 'gap_skipped' // to both and the team: the client skipped that date
  | 'assigned' // to a member newly added to the series' team
  | 'changed' // to both: from a date, a new time or frequency
  | 'paused'
  | 'resumed'
  | 'ended';

/** The paid visits an end cancelled, refunded after its commit: by the listing's policy, or in full (the co-op's end). */
export interface SeriesRefunds {
  bookingIds: string[];
  inFull: boolean;
}

export interface SeriesMessagePayload {
  type: 'series';
  message: SeriesMessage;
  seriesId: string;
  recipientId: string;
  reason?: string | null;
  /**
   * For a gap: the date that cannot be a visit; for a resume: the day the visits come back; for a
   * change or a pause: the date it applies from; for a member added to the team: the first visit she takes. Kept in the message because it is written when it
   * is sent, and another change may have come in between.
   */
  date?: string;
  /** An end: the paid visits it cancelled, to say what they were refunded. */
  refunds?: SeriesRefunds;
}

const T: Record<SeriesMessage, Record<AppLocale, { subject: string; lead: string }>> = {
  requested: {
    fr: { subject: 'Demande de visites régulières : {title}', lead: '{client} demande {title} {rule}, à partir du {first}, {ends}. Acceptez ou refusez la série une seule fois : {url}' },
    en: { subject: 'Regular visits requested: {title}', lead: '{client} asks for {title} {rule}, from {first}, {ends}. Accept or decline the series once: {url}' },
  },
  booked: {
    fr: { subject: 'Nouvelles visites régulières : {title}', lead: '{client} a réservé {title} {rule}, à partir du {first}, {ends}.' },
    en: { subject: 'New regular visits: {title}', lead: '{client} booked {title} {rule}, from {first}, {ends}.' },
  },
  received: {
    fr: { subject: 'Demande de visites régulières envoyée : {title}', lead: 'Votre demande de {title} {rule}, à partir du {first}, {ends}, a été envoyée {toCoop}. Vous recevrez sa réponse par courriel.' },
    en: { subject: 'Regular visits requested: {title}', lead: 'Your request for {title} {rule}, from {first}, {ends}, was sent to {coop}. You will get their answer by email.' },
  },
  accepted: {
    fr: { subject: 'Visites régulières confirmées : {title}', lead: '{coop} vient {rule}, à partir du {first}, {ends}. Chaque visite se paie avant d’avoir lieu. L’événement de calendrier (toutes les visites) est joint.' },
    en: { subject: 'Regular visits confirmed: {title}', lead: '{coop} comes {rule}, from {first}, {ends}. Each visit is paid before it takes place. The calendar event (every visit) is attached.' },
  },
  declined: {
    fr: { subject: 'Visites régulières refusées : {title}', lead: '{coop} ne peut pas accepter votre demande de {title} {rule}. Aucun montant ne vous sera facturé.' },
    en: { subject: 'Regular visits declined: {title}', lead: '{coop} cannot accept your request for {title} {rule}. You will not be charged.' },
  },
  lapsed: {
    fr: { subject: 'Demande de visites régulières expirée : {title}', lead: 'La demande de {title} {rule} est restée sans réponse et a expiré. Aucun montant n’est facturé.' },
    en: { subject: 'Regular visits request expired: {title}', lead: 'The request for {title} {rule} was not answered in time and has expired. Nothing is charged.' },
  },
  gap: {
    fr: { subject: 'Une visite ne peut pas avoir lieu : {title}, {day}', lead: 'La visite du {day} ne peut pas avoir lieu à l’heure habituelle ({why}). Choisissez de la sauter ou de prendre un autre moment : {url}' },
    en: { subject: 'A visit cannot take place: {title}, {day}', lead: 'The visit of {day} cannot take place at the usual time ({why}). Choose to skip it or to take another time: {url}' },
  },
  gap_moved: {
    fr: { subject: 'Visite déplacée : {title}, {day}', lead: 'La visite du {day}, qui ne pouvait pas avoir lieu à l’heure habituelle, aura lieu le {moved}. L’événement de calendrier à jour est joint.' },
    en: { subject: 'Visit moved: {title}, {day}', lead: 'The visit of {day}, which could not take place at the usual time, will take place on {moved}. The updated calendar event is attached.' },
  },
  gap_skipped: {
    fr: { subject: 'Visite sautée : {title}, {day}', lead: 'La visite du {day}, qui ne pouvait pas avoir lieu à l’heure habituelle, est sautée : il n’y aura pas de visite ce jour-là. L’événement de calendrier à jour est joint.' },
    en: { subject: 'Visit skipped: {title}, {day}', lead: 'The visit of {day}, which could not take place at the usual time, is skipped: there is no visit that day. The updated calendar event is attached.' },
  },
  assigned: {
    fr: { subject: 'Vous êtes dans l’équipe des visites régulières : {title}', lead: '{coop} vous confie {title} chez {client}, {rule}, à partir du {from}, {ends}. Les visites et leurs dates : {url}' },
    en: { subject: 'You are on the team for regular visits: {title}', lead: '{coop} gives you {title} for {client}, {rule}, from {from}, {ends}. The visits and their dates: {url}' },
  },
  changed: {
    fr: { subject: 'Visites régulières modifiées : {title}', lead: 'À partir du {from}, {title} a lieu {rule}, {ends}. L’événement de calendrier à jour est joint.' },
    en: { subject: 'Regular visits changed: {title}', lead: 'From {from}, {title} takes place {rule}, {ends}. The updated calendar event is attached.' },
  },
  paused: {
    fr: { subject: 'Visites régulières en pause : {title}', lead: 'Les visites de {title} sont en pause à partir du {from}. Aucune visite n’est prévue d’ici la reprise.' },
    en: { subject: 'Regular visits paused: {title}', lead: 'The visits of {title} are paused from {from}. No visit is planned until they resume.' },
  },
  resumed: {
    fr: { subject: 'Visites régulières reprises : {title}', lead: 'Les visites de {title} reprennent le {from}, {rule}, {ends}. L’événement de calendrier à jour est joint.' },
    en: { subject: 'Regular visits resumed: {title}', lead: 'The visits of {title} resume on {from}, {rule}, {ends}. The updated calendar event is attached.' },
  },
  ended: {
    fr: { subject: 'Fin des visites régulières : {title}', lead: 'Les visites régulières de {title} prennent fin : la dernière possible est le {last}.' },
    en: { subject: 'Regular visits end: {title}', lead: 'The regular visits of {title} end: the last one possible is on {last}.' },
  },
};

/** A date that cannot be a visit, to the co-op: the choice is the client's, and she was asked. */
const GAP_TO_COOP: Record<AppLocale, string> = {
  fr: 'La visite du {day} chez {client} ne peut pas avoir lieu à l’heure habituelle ({why}). Nous avons demandé à {client} de la sauter ou de choisir un autre moment ; son choix paraîtra ici : {url}',
  en: 'The visit of {day} for {client} cannot take place at the usual time ({why}). We asked {client} to skip it or to choose another time; the choice will show here: {url}',
};

export const SERIES_MESSAGES = Object.keys(T) as SeriesMessage[];

const WEEKDAY = {
  fr: ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
};

/** "chaque semaine, le lundi à 9 h 00" / "every week on Monday at 9:00 a.m." */
export function ruleInWords(rule: SeriesRule, zone: string, locale: AppLocale): string {
  const at = DateTime.fromISO(`${rule.startsOn}T${rule.time}`, { zone });
  const time = formatTime(at.toJSDate(), zone, locale);
  const day = WEEKDAY[locale][at.weekday - 1];
  if (locale === 'fr') {
    if (rule.frequency === 'weekdays') return `du lundi au vendredi à ${time}`;
    const every = { weekly: 'chaque semaine', every_2_weeks: 'toutes les deux semaines', every_4_weeks: 'toutes les quatre semaines' }[rule.frequency];
    return `${every}, le ${day} à ${time}`;
  }
  if (rule.frequency === 'weekdays') return `Monday to Friday at ${time}`;
  const every = { weekly: 'every week', every_2_weeks: 'every two weeks', every_4_weeks: 'every four weeks' }[rule.frequency];
  return `${every} on ${day} at ${time}`;
}

/**
 * What an end refunded for the paid visits it cancelled. Those are refunded after the end's
 * commit, and the message may be written before: the total then comes from the refunds
 * themselves once every one is made, and until then the sentence says how they are refunded.
 */
async function refundsInWords(tx: Tx, r: SeriesRefunds, locale: AppLocale): Promise<string> {
  const rows = await tx.select({ bookingId: schema.refunds.bookingId, cents: sql<number>`sum(${schema.refunds.totalCents})::int` })
    .from(schema.refunds).where(inArray(schema.refunds.bookingId, r.bookingIds)).groupBy(schema.refunds.bookingId);
  const n = r.bookingIds.length;
  if (rows.length === n) {
    const total = formatMoney(rows.reduce((a, x) => a + Number(x.cents), 0), locale);
    return locale === 'fr'
      ? `Remboursé pour ${n > 1 ? `les ${n} visites payées annulées` : 'la visite payée annulée'} : ${total}, taxes comprises. Le reçu de chaque visite montre son remboursement.`
      : `Refunded for the ${n > 1 ? `${n} paid visits` : 'paid visit'} cancelled: ${total}, taxes included. Each visit's receipt shows its refund.`;
  }
  if (locale === 'fr') {
    const how = r.inFull ? 'en totalité' : 'selon la politique d’annulation de l’annonce';
    return `${n > 1 ? `Les ${n} visites payées annulées sont remboursées` : 'La visite payée annulée est remboursée'} ${how}. Le reçu de chaque visite montre son remboursement.`;
  }
  const how = r.inFull ? 'in full' : 'under the listing’s cancellation policy';
  return `${n > 1 ? `The ${n} paid visits cancelled are` : 'The paid visit cancelled is'} refunded ${how}. Each visit's receipt shows its refund.`;
}

async function isCoopAdmin(tx: Tx, coopId: string, userId: string): Promise<boolean> {
  const [m] = await tx.select({ role: schema.coopMembers.role }).from(schema.coopMembers)
    .where(and(eq(schema.coopMembers.coopId, coopId), eq(schema.coopMembers.userId, userId)));
  return m?.role === 'admin';
}

const LABELS = {
  fr: { price: 'Prix par visite', before: 'avant taxes', regular: 'au lieu de', reason: 'Motif', address: 'Adresse', see: 'Voir les visites', next: 'Prochaines visites' },
  en: { price: 'Price per visit', before: 'before taxes', regular: 'instead of', reason: 'Reason', address: 'Address', see: 'See the visits', next: 'Next visits' },
};

/**
 * When the visits end, as the client set it: "jusqu'au 26 février 2027 (12 visites)" / "until
 * February 26, 2027 (12 visits)", or "sans date de fin" / "with no end date". The number is the
 * dates the rule gives up to the end less those skipped, while the series has its one first rule
 * (a change from a date makes the count something nobody asked for: the last date says enough).
 */
async function endInWords(tx: Tx, s: { id: string; endsOn: string | null; timeZone: string }, rules: SeriesRule[], locale: AppLocale, day: (d: string) => string): Promise<string> {
  if (!s.endsOn) return locale === 'fr' ? 'sans date de fin' : 'with no end date';
  const until = locale === 'fr' ? `jusqu’au ${day(s.endsOn)}` : `until ${day(s.endsOn)}`;
  if (rules.length !== 1) return until;
  const skipped = new Set((await tx.select({ date: schema.bookingSeriesGaps.date }).from(schema.bookingSeriesGaps)
    .where(and(eq(schema.bookingSeriesGaps.seriesId, s.id), eq(schema.bookingSeriesGaps.resolution, 'skipped')))).map((g) => g.date));
  const n = occurrencesOn(rules[0]!, s.timeZone, rules[0]!.startsOn, s.endsOn).filter((o) => !skipped.has(o.date)).length;
  return `${until} (${n} ${locale === 'fr' ? (n > 1 ? 'visites' : 'visite') : (n > 1 ? 'visits' : 'visit')})`;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}(\.?)/g, (_, k: string, dot: string) => {
    const v = values[k] ?? '';
    return v.endsWith('.') ? v : v + dot;
  });
}

export async function renderSeriesMessage(tx: Tx, p: SeriesMessagePayload, webOrigin: string, organizer: string): Promise<OutgoingMail | null> {
  const [row] = await tx
    .select({ series: schema.bookingSeries, listing: schema.listings, coop: schema.coops, client: schema.users })
    .from(schema.bookingSeries)
    .innerJoin(schema.listings, eq(schema.listings.id, schema.bookingSeries.listingId))
    .innerJoin(schema.coops, eq(schema.coops.id, schema.bookingSeries.coopId))
    .innerJoin(schema.users, eq(schema.users.id, schema.bookingSeries.clientId))
    .where(eq(schema.bookingSeries.id, p.seriesId));
  const [recipient] = await tx.select().from(schema.users).where(eq(schema.users.id, p.recipientId));
  if (!row || !recipient) return null;
  const { series: s, listing, coop, client } = row;
  const rules = await tx.select().from(schema.bookingSeriesRules).where(eq(schema.bookingSeriesRules.seriesId, s.id)).orderBy(asc(schema.bookingSeriesRules.startsOn));
  const visits = (await tx.select({ id: schema.bookings.id, date: schema.bookings.seriesDate, startsAt: schema.bookings.startsAt, endsAt: schema.bookings.endsAt, updatedAt: schema.bookings.updatedAt, state: schema.bookings.state })
    .from(schema.bookings).where(eq(schema.bookings.seriesId, s.id)).orderBy(asc(schema.bookings.startsAt))).map((v) => ({ ...v, date: v.date! }));
  const locale = recipient.locale;
  const L = LABELS[locale];
  const colon = locale === 'fr' ? ' :' : ':';
  const title = locale === 'fr' ? listing.titleFr : listing.titleEn;
  const url = `${webOrigin}/series/${s.id}`;
  const latest = rules.at(-1)!;
  // The rule the message is about: the one that begins on (or first after) its date, not the last
  // one made since; a resume before a change planned for later resumes at the rule in force then.
  const from = p.date && (p.message === 'changed' || p.message === 'resumed' || p.message === 'paused') ? p.date : null;
  const shown = p.message === 'assigned' && p.date ? ([...rules].reverse().find((r) => r.startsOn <= p.date!) ?? rules[0]!)
    : from && p.message !== 'paused' ? (rules.find((r) => r.startsOn >= from) ?? latest) : latest;
  const first = visits.find((v) => LIVE.has(v.state)) ?? visits[0];
  const day = (d: string) => formatDate(DateTime.fromISO(`${d}T12:00`, { zone: s.timeZone }).toJSDate(), s.timeZone, locale);
  const values = {
    title, coop: coop.legalName, toCoop: toName(coop.legalName), client: client.name, url,
    rule: ruleInWords(shown, s.timeZone, locale),
    first: first ? formatDateTime(first.startsAt, s.timeZone, locale) : day(rules[0]!.startsOn),
    from: day(from ?? (p.message === 'assigned' && p.date ? p.date : p.message === 'paused' ? (s.pausedFrom ?? latest.startsOn) : latest.startsOn)),
    ends: await endInWords(tx, s, rules, locale, day),
    last: s.endsOn ? day(s.endsOn) : '',
    day: p.date ? day(p.date) : '',
    moved: (() => {
      const v = p.message === 'gap_moved' ? visits.find((x) => x.date === p.date && LIVE.has(x.state)) : undefined;
      return v ? formatDateTime(v.startsAt, s.timeZone, locale) : '';
    })(),
    why: p.reason === 'closed' ? (locale === 'fr' ? 'la coopérative est fermée à cette heure-là' : 'the co-op is closed at that time') : (locale === 'fr' ? 'ce moment est déjà pris' : 'that time is already taken'),
  };
  const t = p.message === 'gap' && recipient.id !== client.id ? { ...T.gap[locale], lead: GAP_TO_COOP[locale] } : T[p.message][locale];
  const money = (c: number) => formatMoney(c, locale);
  // The client and the co-op's admins read the price and the refunds; a worker who is only on the
  // team reads the job, as a visit's emails tell her (bookings' maySeeAmounts).
  const amounts = recipient.id === client.id || await isCoopAdmin(tx, s.coopId, recipient.id);
  // The next visits still to come; after a change, those from its date on (by when they take place,
  // so a visit the client moved past that date, which the change kept, is listed too).
  const changedFrom = p.message === 'changed' ? DateTime.fromISO(latest.startsOn, { zone: s.timeZone }).startOf('day').toMillis() : -Infinity;
  // After an end, only the visits before its date: the paid ones from it are cancelled after its
  // commit, and may still be live when this is written.
  const endFrom = p.message === 'ended' ? (p.date ?? (s.endsOn ? DateTime.fromISO(s.endsOn).plus({ days: 1 }).toISODate()! : null)) : null;
  const endsAt = endFrom ? DateTime.fromISO(endFrom, { zone: s.timeZone }).startOf('day').toMillis() : Infinity;
  const coming = visits.filter((v) => LIVE.has(v.state) && v.state !== 'completed' && v.startsAt.getTime() > Date.now() && v.startsAt.getTime() < endsAt && v.startsAt.getTime() >= changedFrom)
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()).slice(0, 4).map((v) => `- ${formatDateTime(v.startsAt, s.timeZone, locale)}`);
  const lines = [
    fill(t.lead, values),
    '',
    amounts ? `${L.price}${colon} ${money(s.priceCents)} (${L.before})${s.priceCents < s.regularPriceCents ? `, ${L.regular} ${money(s.regularPriceCents)}` : ''}` : '',
    // What every visit comes with, when booked and to a member joining its team (who reads no prices),
    // and the client's answers to the people doing the job, as a booking's emails say them.
    ...(['requested', 'booked', 'received', 'accepted', 'assigned'].includes(p.message) ? addonsInWords(s.addons, locale, amounts) : []),
    ...(['requested', 'booked', 'assigned'].includes(p.message) && s.answers.length
      ? [locale === 'fr' ? 'Réponses aux questions :' : 'Answers to the questions:', ...s.answers.map((a) => `- ${locale === 'fr' ? a.labelFr : a.labelEn}${colon} ${locale === 'fr' ? a.shownFr : a.shownEn}`)]
      : []),
    s.address ? `${L.address}${colon} ${s.address}` : '',
    p.reason && p.message !== 'gap' ? `${L.reason}${colon} ${p.reason}` : '',
    coming.length && p.message !== 'declined' ? `\n${L.next}${colon}\n${coming.join('\n')}` : '',
    p.message === 'ended' && p.refunds?.bookingIds.length && amounts ? `\n${await refundsInWords(tx, p.refunds, locale)}` : '',
    '',
    `${L.see}${colon} ${url}`,
  ].filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''));
  // Not with a declined request: no event was sent while it waited, so there is none to take back.
  const withCalendar = ['accepted', 'changed', 'paused', 'resumed', 'ended', 'gap_moved', 'gap_skipped'].includes(p.message);
  const calendar = withCalendar ? await seriesIcs(tx, s, rules, visits, { title, coop: coop.legalName, locale, webOrigin, organizer }) : null;
  return {
    to: recipient.email,
    subject: fill(t.subject, values),
    text: lines.join('\n'),
    attachments: calendar ? [{ filename: 'visites.ics', content: calendar, contentType: `text/calendar; charset=utf-8; method=${calendarMethod(calendar)}` }] : undefined,
  };
}
