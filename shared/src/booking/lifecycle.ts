/**
 * The booking lifecycle: every allowed transition and who may make it, in one table.
 * The bookings service refuses anything not listed here; the web shows only listed actions.
 */

export const BOOKING_STATES = [
  'requested',
  'accepted',
  'paid',
  'completed',
  'declined',
  'expired',
  'cancelled_by_client',
  'cancelled_by_coop',
  'no_show',
] as const;
export type BookingState = (typeof BOOKING_STATES)[number];

/** Who acts: the booking's client, an admin of the listing's co-op, a steward, or a background job. */
export const BOOKING_ACTOR_ROLES = ['client', 'coop_admin', 'steward', 'system'] as const;
export type BookingActorRole = (typeof BOOKING_ACTOR_ROLES)[number];

/**
 * What a booking's history records: a change of state, its creation, a move, a worker assigned, a saved card's charge refused (reason: Stripe's code),
 * a worker's minutes confirmed or corrected after completion (reason: "name · before → after min" and the admin's why).
 */
export const BOOKING_EVENT_KINDS = ['transition', 'created', 'rescheduled', 'assigned', 'charge_failed', 'minutes_confirmed'] as const;

export interface Transition {
  from: BookingState;
  to: BookingState;
  by: readonly BookingActorRole[];
  /** A reason is required from people who refuse or cancel, so the other side knows why. */
  reasonRequired?: boolean;
  /**
   * Only once the booking has started: before that, the work was not done and the client was not
   * absent. Completing early would send the review request and count the booking as patronage.
   */
  onceStarted?: boolean;
}

export const TRANSITIONS: readonly Transition[] = [
  { from: 'requested', to: 'accepted', by: ['coop_admin'] },
  { from: 'requested', to: 'declined', by: ['coop_admin'], reasonRequired: true },
  { from: 'requested', to: 'expired', by: ['system'] },
  { from: 'requested', to: 'cancelled_by_client', by: ['client'] },
  // Paid only when Stripe says so (the payment webhook); work is completed once paid.
  { from: 'accepted', to: 'paid', by: ['system'] },
  { from: 'accepted', to: 'cancelled_by_client', by: ['client'] },
  { from: 'accepted', to: 'cancelled_by_coop', by: ['coop_admin', 'steward'], reasonRequired: true },
  { from: 'accepted', to: 'expired', by: ['system'] },
  { from: 'paid', to: 'completed', by: ['coop_admin'], onceStarted: true },
  { from: 'paid', to: 'no_show', by: ['coop_admin'], onceStarted: true },
  { from: 'paid', to: 'cancelled_by_client', by: ['client'] },
  { from: 'paid', to: 'cancelled_by_coop', by: ['coop_admin', 'steward'], reasonRequired: true },
];

export function findTransition(from: BookingState, to: BookingState): Transition | undefined {
  return TRANSITIONS.find((t) => t.from === from && t.to === to);
}

export function canTransition(from: BookingState, to: BookingState, role: BookingActorRole): boolean {
  return findTransition(from, to)?.by.includes(role) ?? false;
}

/** True when the transition must wait for the booking's start and that moment has not come. */
export function waitsForStart(t: Transition, startsAt: Date, now: Date): boolean {
  return Boolean(t.onceStarted) && now.getTime() < startsAt.getTime();
}

/**
 * The states a role can move a booking to from where it is now (what the web offers as buttons).
 * With `timing`, transitions that wait for the start are left out until it has come.
 */
export function nextStates(from: BookingState, role: BookingActorRole, timing?: { startsAt: Date; now: Date }): BookingState[] {
  return TRANSITIONS.filter((t) => t.from === from && t.by.includes(role))
    .filter((t) => !timing || !waitsForStart(t, timing.startsAt, timing.now))
    .map((t) => t.to);
}

/** States in which the booking still holds its slot. */
export const ACTIVE_STATES: readonly BookingState[] = ['requested', 'accepted', 'paid'];
export const isActive = (s: BookingState) => ACTIVE_STATES.includes(s);
export const isFinal = (s: BookingState) => !TRANSITIONS.some((t) => t.from === s);
