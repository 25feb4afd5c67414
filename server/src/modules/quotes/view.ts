import type { Quote, QuoteActorRole, QuoteLine, QuoteOffer } from '@tissu/shared';
import { depositSplit, quoteActions } from '@tissu/shared';
import type { Tx } from '@tissu/db';
import * as repo from './repository.js';
import { toQuoteEvent } from '../conversations/index.js';

export function toOffer(o: repo.OfferRow, sentByName: string): QuoteOffer {
  const whole = { serviceCents: o.serviceCents, gstCents: o.gstCents, qstCents: o.qstCents, totalCents: o.totalCents, feeRateBps: o.feeRateBps, platformFeeCents: o.platformFeeCents, coopCents: o.totalCents - o.platformFeeCents };
  const { deposit, balance } = depositSplit(whole, o.depositPercent);
  return {
    version: o.version, state: o.state,
    lines: o.lines.map((l) => ({ label: l.label, quantity: l.quantity, unitPriceCents: l.unitPriceCents, amountCents: l.amountCents })),
    serviceCents: o.serviceCents, gstCents: o.gstCents, qstCents: o.qstCents, totalCents: o.totalCents,
    feeRateBps: o.feeRateBps, platformFeeCents: o.platformFeeCents, depositPercent: o.depositPercent, deposit, balance,
    durationMinutes: o.durationMinutes, proposedTimes: o.proposedTimes.map((t) => new Date(t).toISOString()), outsideHours: [],
    recurrence: o.recurrence && { frequency: o.recurrence.frequency, startsAt: new Date(o.recurrence.startsAt).toISOString(), until: o.recurrence.until, count: o.recurrence.count },
    validUntil: o.validUntil.toISOString(), message: o.message, sentAt: o.sentAt.toISOString(), sentByName,
    closedAt: o.closedAt?.toISOString() ?? null, closeReason: o.closeReason,
  };
}

/** The quote as `role` sees it: every version, the history, and the buttons the lifecycle table gives that role now. */
export async function quoteView(db: Tx, q: repo.QuoteRow, role: Exclude<QuoteActorRole, 'system'>): Promise<Quote> {
  const [[ctx], offers, events] = await Promise.all([repo.quoteContext(db, [q.id]), repo.offersOf(db, [q.id]), repo.eventsOf(db, q.id)]);
  const names = new Map(events.map((e) => [e.event.actorId, e.actorName]));
  return {
    id: q.id, state: q.state,
    listing: ctx!.listing, coop: ctx!.coop, client: { id: q.clientId, name: ctx!.clientName }, timeZone: ctx!.timeZone,
    description: q.description, address: q.address, preferredDates: q.preferredDates, datesNote: q.datesNote, answers: q.answers,
    conversationId: q.conversationId, bookingId: ctx!.bookingId ?? null, seriesId: ctx!.seriesId ?? null,
    createdAt: q.createdAt.toISOString(), expiresAt: q.expiresAt?.toISOString() ?? null,
    offers: offers.map((o) => toOffer(o, (o.sentBy && names.get(o.sentBy)) || ctx!.coop.name)),
    events: events.map(({ event: e, actorName }) => toQuoteEvent(e, actorName)),
    viewerRole: role,
    actions: quoteActions(q.state, role),
  };
}

export async function quoteLines(db: Tx, rows: repo.QuoteRow[]): Promise<QuoteLine[]> {
  const ids = rows.map((r) => r.id);
  const [ctx, offers] = await Promise.all([repo.quoteContext(db, ids), repo.offersOf(db, ids)]);
  const byId = new Map(ctx.map((c) => [c.id, c]));
  const latest = new Map<string, repo.OfferRow>();
  for (const o of offers) latest.set(o.quoteId, o); // ordered by version: the last wins
  return rows.map((q) => {
    const c = byId.get(q.id)!;
    const o = latest.get(q.id);
    return {
      id: q.id, state: q.state, listing: { id: c.listing.id, titleFr: c.listing.titleFr, titleEn: c.listing.titleEn }, coop: c.coop,
      client: { id: q.clientId, name: c.clientName }, createdAt: q.createdAt.toISOString(), expiresAt: q.expiresAt?.toISOString() ?? null,
      latestOffer: o ? { version: o.version, state: o.state, totalCents: o.totalCents } : null, bookingId: c.bookingId ?? null,
    };
  });
}
