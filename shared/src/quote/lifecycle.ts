/**
 * The quote lifecycle: every allowed change of a quote request's state and who may make it, in
 * one table. The quotes service refuses anything not listed here; the web shows only listed actions.
 *
 * A request is the client's description of a job; the co-op answers with offers (versions 1..n,
 * each immutable once sent). Only the current offer (the latest one, while it is `sent`) can be
 * accepted; accepting makes the booking at the offer's price.
 */

export const QUOTE_STATES = [
  'requested', // the client asked; the co-op has not answered yet
  'offered', // an offer is waiting for the client's answer
  'changes_requested', // the client asked for changes to the offer; the co-op revises
  'accepted', // the client accepted an offer: a booking exists
  'declined', // the client said no to the offer
  'withdrawn', // the client gave up before accepting
  'refused', // the co-op cannot do the job (with its reason)
  'expired', // nobody answered in time (job)
] as const;
export type QuoteState = (typeof QUOTE_STATES)[number];

/** Who acts: the request's client, an admin of the listing's co-op, or a background job. */
export const QUOTE_ACTOR_ROLES = ['client', 'coop_admin', 'system'] as const;
export type QuoteActorRole = (typeof QUOTE_ACTOR_ROLES)[number];

/**
 * What became of one offer. `sent` is the only open state: the client may accept it while the
 * request is `offered`. Asking for changes closes it as `changes_requested`; a revision sent while
 * it was still open closes it as `superseded`; the co-op refusing the request closes it as `withdrawn`.
 */
export const OFFER_STATES = ['sent', 'accepted', 'declined', 'changes_requested', 'superseded', 'expired', 'withdrawn'] as const;
export type OfferState = (typeof OFFER_STATES)[number];

/** What a quote's history records: its creation, a change of state, an offer sent (with its version). */
export const QUOTE_EVENT_KINDS = ['created', 'transition', 'offer_sent'] as const;
export type QuoteEventKind = (typeof QUOTE_EVENT_KINDS)[number];

/** The action (route) that makes each transition, so the web names its buttons the same way. */
export const QUOTE_ACTIONS = ['offer', 'accept', 'decline', 'request_changes', 'withdraw', 'refuse', 'expire'] as const;
export type QuoteAction = (typeof QUOTE_ACTIONS)[number];

export interface QuoteTransition {
  from: QuoteState;
  to: QuoteState;
  by: readonly QuoteActorRole[];
  action: QuoteAction;
  /** A reason is required from people who refuse or ask for changes, so the other side knows why. */
  reasonRequired?: boolean;
}

export const QUOTE_TRANSITIONS: readonly QuoteTransition[] = [
  { from: 'requested', to: 'offered', by: ['coop_admin'], action: 'offer' },
  { from: 'requested', to: 'refused', by: ['coop_admin'], action: 'refuse', reasonRequired: true },
  { from: 'requested', to: 'withdrawn', by: ['client'], action: 'withdraw' },
  { from: 'requested', to: 'expired', by: ['system'], action: 'expire' },
  // A revision sent before the client answered replaces the open offer (it becomes superseded).
  { from: 'offered', to: 'offered', by: ['coop_admin'], action: 'offer' },
  { from: 'offered', to: 'accepted', by: ['client'], action: 'accept' },
  { from: 'offered', to: 'declined', by: ['client'], action: 'decline' },
  { from: 'offered', to: 'changes_requested', by: ['client'], action: 'request_changes', reasonRequired: true },
  { from: 'offered', to: 'withdrawn', by: ['client'], action: 'withdraw' },
  { from: 'offered', to: 'refused', by: ['coop_admin'], action: 'refuse', reasonRequired: true },
  // The offer's validity is over.
  { from: 'offered', to: 'expired', by: ['system'], action: 'expire' },
  { from: 'changes_requested', to: 'offered', by: ['coop_admin'], action: 'offer' },
  { from: 'changes_requested', to: 'refused', by: ['coop_admin'], action: 'refuse', reasonRequired: true },
  { from: 'changes_requested', to: 'withdrawn', by: ['client'], action: 'withdraw' },
  { from: 'changes_requested', to: 'expired', by: ['system'], action: 'expire' },
];

export function findQuoteTransition(from: QuoteState, to: QuoteState): QuoteTransition | undefined {
  return QUOTE_TRANSITIONS.find((t) => t.from === from && t.to === to);
}

/** The transition an action makes from a state (an action leads to one state from each state). */
export function quoteTransitionFor(from: QuoteState, action: QuoteAction): QuoteTransition | undefined {
  return QUOTE_TRANSITIONS.find((t) => t.from === from && t.action === action);
}

export function canQuoteTransition(from: QuoteState, to: QuoteState, role: QuoteActorRole): boolean {
  return findQuoteTransition(from, to)?.by.includes(role) ?? false;
}

/** True when `role` may take `action` on a request in state `from`. */
export function canQuoteAct(from: QuoteState, action: QuoteAction, role: QuoteActorRole): boolean {
  return quoteTransitionFor(from, action)?.by.includes(role) ?? false;
}

/** The actions a role can take on a request where it is now (what the web offers as buttons). */
export function quoteActions(from: QuoteState, role: QuoteActorRole): QuoteAction[] {
  return QUOTE_TRANSITIONS.filter((t) => t.from === from && t.by.includes(role)).map((t) => t.action);
}

/** States in which the request is still being worked out (one open request per client and listing at most). */
export const OPEN_QUOTE_STATES: readonly QuoteState[] = ['requested', 'offered', 'changes_requested'];
export const isQuoteOpen = (s: QuoteState) => OPEN_QUOTE_STATES.includes(s);
export const isQuoteFinal = (s: QuoteState) => !QUOTE_TRANSITIONS.some((t) => t.from === s);

/** How long a request waits for the co-op's offer (or revision) before it expires. */
export const QUOTE_ANSWER_DAYS = 7;
/** An offer is valid at most this long after it is sent. */
export const OFFER_MAX_VALIDITY_DAYS = 90;
