import { eq } from 'drizzle-orm';
import { formatMoney, type AppLocale } from '@tissu/shared';
import { schema, type Tx } from '@tissu/db';
import type { OutgoingMail } from '../../plugins/mailer.js';
import { formatDateTime, HOME_ZONE } from './format.js';

/** Co-op told: requested, declined, changes_requested, withdrawn. Client told: offered, refused, expired. */
export const QUOTE_MESSAGES = ['requested', 'offered', 'declined', 'changes_requested', 'withdrawn', 'refused', 'expired'] as const;
export type QuoteMessage = (typeof QUOTE_MESSAGES)[number];

export interface QuoteMessagePayload {
  type: 'quote';
  message: QuoteMessage;
  quoteId: string;
  recipientId: string;
  reason: string | null;
  /** The offer's version and total, for 'offered'. */
  offerVersion?: number;
}

const T: Record<AppLocale, Record<QuoteMessage, { subject: string; lead: string }>> = {
  fr: {
    requested: { subject: 'Nouvelle demande de devis : {listing}', lead: '{client} demande un devis pour « {listing} ». Lisez sa demande et envoyez une offre.' },
    offered: { subject: 'Votre devis de {coop}', lead: '{coop} vous envoie une offre (version {version}) pour « {listing} » : {total}, valable jusqu’au {validUntil}. Acceptez-la en choisissant une date, demandez des changements ou refusez-la.' },
    declined: { subject: 'Devis refusé par le client : {listing}', lead: '{client} a refusé votre offre pour « {listing} ».' },
    changes_requested: { subject: 'Changements demandés : {listing}', lead: '{client} demande des changements à votre offre pour « {listing} ». Envoyez une nouvelle version.' },
    withdrawn: { subject: 'Demande de devis retirée : {listing}', lead: '{client} a retiré sa demande de devis pour « {listing} ».' },
    refused: { subject: 'Votre demande de devis : {listing}', lead: '{coop} ne peut pas faire ce travail (« {listing} »).' },
    expired: { subject: 'Votre demande de devis a expiré : {listing}', lead: 'Votre demande de devis pour « {listing} » a expiré : personne n’a répondu à temps.' },
  },
  en: {
    requested: { subject: 'New quote request: {listing}', lead: '{client} asks for a quote for “{listing}”. Read the request and send an offer.' },
    offered: { subject: 'Your quote from {coop}', lead: '{coop} sends you an offer (version {version}) for “{listing}”: {total}, valid until {validUntil}. Accept it by choosing a time, ask for changes, or decline it.' },
    declined: { subject: 'Quote declined by the client: {listing}', lead: '{client} declined your offer for “{listing}”.' },
    changes_requested: { subject: 'Changes asked: {listing}', lead: '{client} asks for changes to your offer for “{listing}”. Send a new version.' },
    withdrawn: { subject: 'Quote request withdrawn: {listing}', lead: '{client} withdrew the quote request for “{listing}”.' },
    refused: { subject: 'Your quote request: {listing}', lead: '{coop} cannot do this job (“{listing}”).' },
    expired: { subject: 'Your quote request expired: {listing}', lead: 'Your quote request for “{listing}” expired: nobody answered in time.' },
  },
};
const L = {
  fr: { reason: 'Motif', see: 'Voir le devis', bye: 'L’équipe Tissu', hello: 'Bonjour {name},' },
  en: { reason: 'Reason', see: 'See the quote', bye: 'The Tissu team', hello: 'Hello {name},' },
};

const fill = (t: string, v: Record<string, string>) => t.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? '');

/** In the recipient's language, with the link to the quote's page (/quotes/<id>); null if the quote or the person is gone. */
export async function renderQuoteMessage(tx: Tx, p: QuoteMessagePayload, webOrigin: string): Promise<OutgoingMail | null> {
  const [row] = await tx
    .select({ quote: schema.quoteRequests, listing: schema.listings, coop: schema.coops, client: schema.users })
    .from(schema.quoteRequests)
    .innerJoin(schema.listings, eq(schema.listings.id, schema.quoteRequests.listingId))
    .innerJoin(schema.coops, eq(schema.coops.id, schema.quoteRequests.coopId))
    .innerJoin(schema.users, eq(schema.users.id, schema.quoteRequests.clientId))
    .where(eq(schema.quoteRequests.id, p.quoteId));
  const [recipient] = await tx.select().from(schema.users).where(eq(schema.users.id, p.recipientId));
  if (!row || !recipient || recipient.deletedAt) return null;
  const locale = recipient.locale;
  let total = '';
  let validUntil = '';
  if (p.message === 'offered' && p.offerVersion) {
    const offers = await tx.select().from(schema.quoteOffers).where(eq(schema.quoteOffers.quoteId, p.quoteId));
    const o = offers.find((x) => x.version === p.offerVersion);
    if (!o) return null;
    total = formatMoney(o.totalCents, locale);
    validUntil = formatDateTime(o.validUntil, HOME_ZONE, locale);
  }
  const v = {
    listing: locale === 'en' ? row.listing.titleEn : row.listing.titleFr, coop: row.coop.legalName, client: row.client.name,
    version: String(p.offerVersion ?? ''), total, validUntil, name: recipient.name,
  };
  const t = T[locale][p.message];
  const lines = [
    fill(L[locale].hello, v),
    fill(t.lead, v),
    ...(p.reason ? [`${L[locale].reason}${locale === 'fr' ? ' :' : ':'} ${p.reason}`] : []),
    `${L[locale].see}${locale === 'fr' ? ' :' : ':'} ${webOrigin}/quotes/${p.quoteId}`,
    L[locale].bye,
  ];
  return { to: recipient.email, subject: fill(t.subject, v), text: lines.join('\n\n') };
}
