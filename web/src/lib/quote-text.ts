/**
 * A quote's states and its offers' in words, for the quote page, the co-op's inbox and the client's
 * list: the same label everywhere, and what happens next for whoever reads it.
 */
import { dateTimeFormat, type OfferState, type QuoteEvent, type QuoteOffer, type QuoteState } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { localDate } from '$lib/time';
import { seriesRuleText } from '$lib/series-text';

const STATE: Record<QuoteState, () => string> = {
  requested: m.quote_state_requested,
  offered: m.quote_state_offered,
  changes_requested: m.quote_state_changes_requested,
  accepted: m.quote_state_accepted,
  declined: m.quote_state_declined,
  withdrawn: m.quote_state_withdrawn,
  refused: m.quote_state_refused,
  expired: m.quote_state_expired,
};

export const quoteStateLabel = (s: QuoteState): string => STATE[s]();

/** A line of a quote's history in its conversation: asked, an offer sent (its version), or the state it moved to. */
export function quoteEventTitle(e: Pick<QuoteEvent, 'kind' | 'to' | 'offerVersion'>): string {
  if (e.kind === 'created') return m.quote_event_created();
  if (e.kind === 'offer_sent') return m.quote_event_offer_sent({ n: e.offerVersion ?? 1 });
  return quoteStateLabel(e.to);
}

/** The badge's colour, as a booking's: waiting on the other side, to do, done, closed. */
export function quoteStateTone(s: QuoteState, reader: 'client' | 'coop'): 'waiting' | 'todo' | 'ok' | 'off' {
  if (s === 'accepted') return 'ok';
  if (s === 'offered') return reader === 'client' ? 'todo' : 'waiting';
  if (s === 'requested' || s === 'changes_requested') return reader === 'coop' ? 'todo' : 'waiting';
  return 'off';
}

/** Open and waiting for this reader's answer: what the inbox counts as "to answer". */
export function awaitsAnswerFrom(s: QuoteState, reader: 'client' | 'coop'): boolean {
  return quoteStateTone(s, reader) === 'todo';
}

const NEXT_CLIENT: Partial<Record<QuoteState, () => string>> = {
  requested: m.quote_next_client_requested,
  offered: m.quote_next_client_offered,
  changes_requested: m.quote_next_client_changes_requested,
  accepted: m.quote_next_client_accepted,
};
const NEXT_COOP: Partial<Record<QuoteState, () => string>> = {
  requested: m.quote_next_coop_requested,
  offered: m.quote_next_coop_offered,
  changes_requested: m.quote_next_coop_changes_requested,
  accepted: m.quote_next_coop_accepted,
};

export function quoteNextStep(s: QuoteState, reader: 'client' | 'coop'): string {
  return ((reader === 'client' ? NEXT_CLIENT : NEXT_COOP)[s] ?? m.quote_next_closed)();
}

const OFFER_STATE: Record<OfferState, () => string> = {
  sent: m.quote_offer_state_sent,
  accepted: m.quote_offer_state_accepted,
  declined: m.quote_offer_state_declined,
  changes_requested: m.quote_offer_state_changes_requested,
  superseded: m.quote_offer_state_superseded,
  expired: m.quote_offer_state_expired,
  withdrawn: m.quote_offer_state_withdrawn,
};

export const offerStateLabel = (s: OfferState): string => OFFER_STATE[s]();

/**
 * An offer's regular visits as a sentence, on the listing's clock: "Toutes les deux semaines, le
 * mardi à 9 h 00, à partir du 12 janvier 2027" (and "— 10 visites" when it says how many).
 */
export function offerRuleText(r: NonNullable<QuoteOffer['recurrence']>, timeZone: string): string {
  const time = dateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' }).format(new Date(r.startsAt));
  const rule = seriesRuleText({ startsOn: localDate(r.startsAt, timeZone), frequency: r.frequency, time, until: r.until });
  return r.count ? m.quote_regular_count({ rule, count: String(r.count) }) : rule;
}
