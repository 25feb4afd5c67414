/** Booking states, history events and payment statuses in words, for the active locale. */
import { reasonIn, type Booking, type BookingState, type PaymentSummary } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { formatDateTimeIn, oneFullStop } from '$lib/time';
import { locale, money } from '$lib/i18n';

const STATES: Record<BookingState, () => string> = {
  requested: m.booking_state_requested,
  accepted: m.booking_state_accepted,
  paid: m.booking_state_paid,
  completed: m.booking_state_completed,
  declined: m.booking_state_declined,
  expired: m.booking_state_expired,
  cancelled_by_client: m.booking_state_cancelled_by_client,
  cancelled_by_coop: m.booking_state_cancelled_by_coop,
  no_show: m.booking_state_no_show,
};

export const bookingStateLabel = (state: BookingState): string => STATES[state]?.() ?? state;

/** A colour family for the state's badge. */
export function bookingStateTone(state: BookingState): 'waiting' | 'todo' | 'ok' | 'done' | 'off' {
  if (state === 'requested') return 'waiting';
  if (state === 'accepted') return 'todo';
  if (state === 'paid') return 'ok';
  if (state === 'completed') return 'done';
  return 'off';
}

/**
 * Who reads a booking, from the API's `viewer`: the client first (a co-op admin booking her own
 * co-op reads it as a client), then the co-op's admin, a worker assigned to it, else a steward.
 */
export type BookingReader = 'client' | 'coop' | 'worker' | 'steward';
export function bookingReader(v: Booking['viewer']): BookingReader {
  if (v.isClient) return 'client';
  if (v.isCoopAdmin) return 'coop';
  if (v.isWorker) return 'worker';
  return 'steward';
}

/**
 * Booked at once (the listing takes instant bookings): created straight in "accepted", and no
 * co-op acceptance was ever recorded. Nobody accepted anything; it waits for the payment.
 */
export function bookedInstantly(b: Pick<Booking, 'cancellation' | 'events' | 'series'>): boolean {
  // A visit of a series is made accepted by the series' own answer (or its job), not booked at once on its own.
  return !b.series && b.cancellation.coopAcceptedAt === null && b.events.some((e) => e.kind === 'created' && e.to === 'accepted');
}

/** Expired after it was accepted or booked: it lapsed because it was not paid in time, not for want of an answer. */
export const lapsedUnpaid = (b: Pick<Booking, 'state' | 'events'>): boolean => b.state === 'expired' && b.events.some((e) => e.to === 'accepted');

/** A booking's badge: an instant booking waiting for payment is "Réservée", not "Acceptée" (nobody accepted it). */
export function bookingLabel(b: Pick<Booking, 'state' | 'cancellation' | 'events' | 'series'>): string {
  if (lapsedUnpaid(b)) return m.booking_state_lapsed_unpaid();
  return b.state === 'accepted' && bookedInstantly(b) ? m.booking_state_booked_to_pay() : bookingStateLabel(b.state);
}

/** One sentence saying where the booking stands and what happens next, for who is reading. */
export function bookingStateSentence(b: Booking): string {
  const reader = bookingReader(b.viewer);
  const client = reader === 'client';
  const at = (iso: string | null) => (iso ? formatDateTimeIn(iso, b.timeZone) : '');
  switch (b.state) {
    case 'requested':
      if (client) return oneFullStop(m.booking_explain_requested_client({ date: at(b.expiresAt) }));
      // Only the co-op's admin answers a request.
      return reader === 'coop' ? m.booking_explain_requested_coop({ date: at(b.expiresAt) }) : oneFullStop(m.booking_explain_requested_other({ date: at(b.expiresAt) }));
    case 'accepted':
      if (bookedInstantly(b)) {
        return client ? m.booking_explain_instant_client({ date: at(b.expiresAt) }) : m.booking_explain_instant_coop({ date: at(b.expiresAt) });
      }
      return client ? m.booking_explain_accepted_client({ date: at(b.expiresAt) }) : m.booking_explain_accepted_coop({ date: at(b.expiresAt) });
    case 'paid':
      if (client) return m.booking_explain_paid_client();
      // The admin is asked to assign the team; once it is assigned, the sentence no longer asks for it.
      if (reader === 'coop') return b.workers.length ? m.booking_explain_paid_coop_assigned() : m.booking_explain_paid_coop();
      return m.booking_explain_paid_other();
    case 'completed':
      return m.booking_explain_completed();
    case 'declined':
      if (client) return m.booking_explain_declined();
      return reader === 'coop' ? m.booking_explain_declined_coop() : m.booking_explain_declined_other();
    case 'expired':
      if (lapsedUnpaid(b)) return client ? m.booking_explain_lapsed_unpaid_client() : m.booking_explain_lapsed_unpaid_coop();
      return m.booking_explain_expired();
    case 'cancelled_by_client':
      return client ? m.booking_explain_cancelled_by_client_client() : m.booking_explain_cancelled_by_client_coop();
    case 'cancelled_by_coop':
      return m.booking_explain_cancelled_by_coop();
    case 'no_show':
      return m.booking_explain_no_show();
  }
}

/**
 * The amount on a booking's card: once paid, what the client paid with its taxes, and what came
 * back if anything did; before that, the price, said to be before taxes. None for a worker, who is
 * not told the client's money (the API leaves it out).
 */
export function bookingAmount(b: Pick<Booking, 'priceCents' | 'paid'>): { amount: string; note: string | null } {
  if (!b.paid) return { amount: b.priceCents === null ? '' : m.booking_card_price_before_taxes({ price: money(b.priceCents) }), note: null };
  const amount = m.booking_card_paid({ amount: money(b.paid.totalCents) });
  if (b.paid.refundedCents <= 0) return { amount, note: null };
  return {
    amount,
    note: b.paid.refundedCents >= b.paid.totalCents ? m.booking_card_refunded_all() : m.booking_card_refunded({ amount: money(b.paid.refundedCents) }),
  };
}

/** What the client should do next, in a few words, for the list of bookings ("" when nothing). */
export function clientNextStep(b: Booking): string {
  if (b.state === 'requested') return m.booking_next_wait();
  if (b.state === 'accepted') return m.booking_next_pay({ date: b.expiresAt ? formatDateTimeIn(b.expiresAt, b.timeZone) : '' });
  if (b.actions.includes('review')) return m.booking_next_review();
  return '';
}

type BookingEvent = Booking['events'][number];

const ROLES: Record<BookingEvent['actorRole'], () => string> = {
  client: m.actor_client,
  coop_admin: m.actor_coop,
  steward: m.actor_steward,
  system: m.actor_system,
};

export const actorLabel = (e: Pick<BookingEvent, 'actorRole' | 'actorName'>): string =>
  e.actorRole === 'system' || !e.actorName ? m.actor_system() : `${e.actorName} (${ROLES[e.actorRole]()})`;

/**
 * What happened, in a few words (`visit`: the booking is a visit of a series, made with it or by its
 * job; `quoted`: made by accepting a quote's offer, booking.quoteId).
 */
export function eventTitle(e: BookingEvent, visit = false, quoted = false): string {
  // A quote accepted books at once too, but not as an instant booking does: the co-op offered first.
  if (e.kind === 'created' && quoted) return m.event_created_quote();
  if (e.kind === 'created') return visit ? m.event_created_visit() : e.to === 'accepted' ? m.event_created_instant() : m.event_created();
  if (e.kind === 'rescheduled') return m.event_rescheduled();
  if (e.kind === 'assigned') return m.event_assigned();
  if (e.kind === 'charge_failed') return m.event_charge_failed();
  if (e.kind === 'minutes_confirmed') return m.event_minutes_confirmed();
  // A steward's refund is written as an event that keeps the state: "Refund: why".
  if (e.from === e.to && e.reason?.startsWith('Refund: ')) return m.event_refunded();
  if (e.from === e.to) return m.event_note();
  switch (e.to) {
    case 'accepted':
      return m.event_accepted();
    case 'declined':
      return m.event_declined();
    case 'expired':
      return m.event_expired();
    case 'paid':
      return m.event_paid();
    case 'completed':
      return m.event_completed();
    case 'cancelled_by_client':
    case 'cancelled_by_coop':
      return m.event_cancelled();
    case 'no_show':
      return m.event_no_show();
  }
  return e.to;
}

/** Why a saved card was refused, from Stripe's code (its decline code after the colon). */
const REFUSED: Record<string, () => string> = {
  insufficient_funds: m.charge_refused_insufficient_funds,
  expired_card: m.charge_refused_expired_card,
  authentication_required: m.charge_refused_authentication_required,
  card_unavailable: m.charge_refused_card_unavailable,
};
function chargeRefusedWhy(code: string): string {
  const [first, last] = [code.split(':')[0]!, code.split(':').at(-1)!];
  return (REFUSED[last] ?? REFUSED[first] ?? m.charge_refused_declined)();
}

/** The reason of an event as people should read it (a move is stored as "from → to"). */
export function eventDetail(e: BookingEvent, timeZone: string): string | null {
  if (!e.reason) return null;
  if (e.kind === 'charge_failed') return chargeRefusedWhy(e.reason);
  if (e.from === e.to && e.reason.startsWith('Refund: ')) return e.reason.slice('Refund: '.length);
  if (e.kind === 'rescheduled') {
    const [from, to] = e.reason.split(' → ');
    if (from && to && !Number.isNaN(Date.parse(from)) && !Number.isNaN(Date.parse(to))) {
      return m.event_rescheduled_detail({ from: formatDateTimeIn(from, timeZone), to: formatDateTimeIn(to, timeZone) });
    }
  }
  return reasonIn(e.reason, locale());
}

const PAYMENT_STATUSES: Record<PaymentSummary['status'], () => string> = {
  unpaid: m.payment_status_unpaid,
  open: m.payment_status_open,
  paid: m.payment_status_paid,
  partially_refunded: m.payment_status_partially_refunded,
  refunded: m.payment_status_refunded,
};

export const paymentStatusLabel = (s: PaymentSummary['status']): string => PAYMENT_STATUSES[s]?.() ?? s;

const REFUND_KINDS: Record<PaymentSummary['refunds'][number]['kind'], () => string> = {
  client_cancellation: m.refund_kind_client_cancellation,
  coop_cancellation: m.refund_kind_coop_cancellation,
  steward: m.refund_kind_steward,
  late_payment: m.refund_kind_late_payment,
  no_show: m.refund_kind_no_show,
};

export const refundKindLabel = (k: PaymentSummary['refunds'][number]['kind']): string => REFUND_KINDS[k]?.() ?? k;

const BLOCKERS: Record<NonNullable<PaymentSummary['blocker']>, () => string> = {
  awaiting_acceptance: m.payment_blocker_waiting,
  not_payable: m.payment_blocker_other,
  coop_not_ready: m.payment_blocker_coop_not_ready,
  charging: m.payment_blocker_charging,
};

/** Why a booking cannot be paid now, in the reader's language. */
export const paymentBlockerText = (blocker: NonNullable<PaymentSummary['blocker']>): string => BLOCKERS[blocker]();
