import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { ReasonBody, ReplyBody, ReviewBody, StewardRefundBody, parseMoneyToCents } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { isApiError } from '$lib/server/api-error';
import { apiFailure, check, formValues, invalid, str, strs, type FieldMessages, type FormState, type FormValues, amountFormatText } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { loadWeek } from '$lib/server/week';
import { localDate } from '$lib/time';
import { money } from '$lib/i18n';
import { ok } from '$lib/server/api/client';
import { conversationActions, conversationPanel, loadSubjectConversation } from '$lib/server/conversations';
import { actorLabel, eventDetail, eventTitle } from '$lib/booking-text';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  const { id } = event.params;
  if (!UUID.test(id)) error(404, { message: m.error_not_found_title() });
  const { api } = event.locals;
  let booking, payment, conversation;
  try {
    [booking, payment, conversation] = await Promise.all([
      ok(api.GET('/bookings/{id}', { params: { path: { id } } })),
      // A booking without a payment side (an assigned worker's view) still shows.
      ok(api.GET('/bookings/{id}/payment', { params: { path: { id } } })).catch((e) => {
        if (isApiError(e) && e.status < 500) return null;
        throw e;
      }),
      // Messages and state changes in one feed (the history alone if the conversation cannot be read).
      loadSubjectConversation(api, 'booking', id),
    ]);
  } catch (e) {
    loadFailure(event, e);
  }

  const params = event.url.searchParams;

  // A visit of a series waiting for its payment: the card it will be charged to, if one is saved.
  const savedCard = booking.series && booking.viewer.isClient && booking.state === 'accepted'
    ? await ok(api.GET('/me/card')).then((r) => r.card).catch(() => null)
    : null;

  // A completed visit of her own: the client may tip (or sees the tip she gave).
  const tip = booking.viewer.isClient && booking.state === 'completed'
    ? await ok(api.GET('/bookings/{id}/tip', { params: { path: { id } } })).catch(() => null)
    : null;

  // The co-op's members with who is away or on another visit at the booking's time.
  const members = booking.actions.includes('assign')
    ? await ok(api.GET('/bookings/{id}/assignment-choices', { params: { path: { id } } }))
        .then((r) => r.members)
        .catch(() => null)
    : null;

  // The week of free slots only when the person asked to move the booking.
  let week = null;
  let chosen: string | null = null;
  const rescheduling = booking.actions.includes('reschedule') && (params.has('reschedule') || params.has('week'));
  if (rescheduling) {
    try {
      const schedule = await ok(api.GET('/listings/{id}/schedule', { params: { path: { id: booking.listing.id } } }));
      // Opens on the booking's own week (moving a booking is usually by a few days), not this week.
      // A booking with add-ons is longer: the times offered are those where its whole length fits.
      const addonIds = booking.addons.flatMap((x) => (x.addonId ? [x.addonId] : []));
      const loaded = await loadWeek(api, booking.listing.id, schedule, params.get('week') ?? localDate(booking.startsAt, booking.timeZone), undefined, addonIds);
      const asked = params.get('slot');
      chosen = asked && loaded.starts.has(asked) ? asked : null;
      const { starts: _starts, ...view } = loaded;
      week = view;
    } catch (e) {
      if (!isApiError(e)) console.error('[web] reschedule slots failed', e);
    }
  }

  // The feed and history in words here, not in the browser's scripts (issue 11's JS budget).
  const visit = booking.series !== null;
  return {
    booking,
    payment,
    conversation: conversation && conversationPanel(conversation, booking.timeZone, { visit }),
    history: conversation
      ? []
      : booking.events.map((e) => ({ at: e.at, title: eventTitle(e, visit, booking.quoteId !== null), who: actorLabel(e), detail: eventDetail(e, booking.timeZone) })),
    // Who the person is to this booking, as the server decided it (bookings/relation.ts).
    viewer: { ...booking.viewer, userId: user.id },
    members,
    savedCard,
    tip,
    rescheduling,
    week,
    chosen,
    flash: params.get('done'),
    now: new Date().toISOString(),
    ...(conversation?.waiting && { waiting: conversation.waiting }),
  };
};

type Event = RequestEvent<{ id: string }>;

/** The booking of the page, as the path parameter of its API calls. */
const path = (event: Event) => ({ params: { path: { id: event.params.id } } });

/** Runs one API call for a form of the page and answers the way every action here does. */
async function act(
  event: Event,
  form: string,
  values: FormValues,
  call: () => Promise<unknown>,
  success: string,
  rename?: Record<string, string>,
) {
  requireUser(event);
  try {
    await call();
  } catch (e) {
    return apiFailure(event, e, values, { form, rename });
  }
  return { form, success } satisfies FormState;
}

async function read(event: Event) {
  const data = await event.request.formData();
  return { data, values: formValues(data, ['userIds']) };
}

export const actions: Actions = {
  ...conversationActions,
  accept: async (event) => {
    const { data, values } = await read(event);
    const choice = str(data, 'acceptSolidarity');
    const acceptSolidarity = choice === 'yes' ? true : choice === 'no' ? false : undefined;
    return act(event, 'accept', values, () => event.locals.api.POST('/bookings/{id}/accept', { ...path(event), body: { acceptSolidarity } }), m.booking_done_accepted());
  },

  decline: async (event) => {
    const { data, values } = await read(event);
    const checked = check(ReasonBody, { reason: str(data, 'reason') });
    if (!checked.ok) return invalid(checked.errors, values, 'decline');
    return act(event, 'decline', values, () => event.locals.api.POST('/bookings/{id}/decline', { ...path(event), body: { reason: checked.data.reason } }), m.booking_done_declined());
  },

  cancel: async (event) => {
    const { data, values } = await read(event);
    const reason = str(data, 'reason').trim();
    // The co-op must say why; the client may.
    if (str(data, 'reasonRequired') === '1') {
      const checked = check(ReasonBody, { reason });
      if (!checked.ok) return invalid(checked.errors, values, 'cancel');
    }
    return act(event, 'cancel', values, () => event.locals.api.POST('/bookings/{id}/cancel', { ...path(event), body: { reason: reason || undefined } }), m.booking_done_cancelled());
  },

  reschedule: async (event) => {
    const { data, values } = await read(event);
    const startsAt = str(data, 'startsAt');
    if (!startsAt) return invalid({ startsAt: [m.err_choose_slot()] }, values, 'reschedule');
    const failed = await act(event, 'reschedule', values, () => event.locals.api.POST('/bookings/{id}/reschedule', { ...path(event), body: { startsAt } }), '');
    if ('status' in failed) return failed;
    redirect(303, `/bookings/${event.params.id}?done=rescheduled`);
  },

  assign: async (event) => {
    const { data, values } = await read(event);
    const userIds = strs(data, 'userIds');
    const reason = str(data, 'reason').trim();
    return act(event, 'assign', values, () => event.locals.api.PUT('/bookings/{id}/workers', { ...path(event), body: { userIds, reason: reason || undefined } }), m.booking_done_assigned(), { userIds: 'userIds', reason: 'reason' });
  },

  complete: async (event) => {
    const { data, values } = await read(event);
    const errors: FieldMessages = {};
    const hours = strs(data, 'workerId').map((userId) => {
      const text = str(data, `minutes-${userId}`).trim();
      const minutes = Number(text);
      if (!/^\d+$/.test(text) || minutes > 24 * 60 * 14) errors[`minutes-${userId}`] = [m.err_minutes_worked()];
      return { userId, minutes };
    });
    if (Object.keys(errors).length) return invalid(errors, values, 'complete');
    const reason = str(data, 'reason').trim() || undefined;
    return act(event, 'complete', values, () => event.locals.api.POST('/bookings/{id}/complete', { ...path(event), body: { hours, reason } }), m.booking_done_completed());
  },

  /** The co-op confirms a worker's minutes on a completed booking, or corrects them (with a reason). */
  confirmMinutes: async (event) => {
    const { data, values } = await read(event);
    const userId = str(data, 'userId');
    const form = `minutes-${userId}`;
    const text = str(data, 'minutes').trim();
    if (!/^\d+$/.test(text) || Number(text) > 24 * 60 * 14) return invalid({ minutes: [m.err_minutes_worked()] }, values, form);
    const reason = str(data, 'reason').trim() || undefined;
    return act(event, form, values, () => event.locals.api.PUT('/bookings/{id}/minutes', { ...path(event), body: { userId, minutes: Number(text), reason } }), m.booking_done_minutes_confirmed(), { userId: 'minutes' });
  },

  noShow: async (event) => {
    const { values } = await read(event);
    return act(event, 'noShow', values, () => event.locals.api.POST('/bookings/{id}/no-show', { ...path(event), body: {} }), m.booking_done_no_show());
  },

  review: async (event) => {
    const { data, values } = await read(event);
    const checked = check(ReviewBody, { rating: Number(str(data, 'rating')) || undefined, body: str(data, 'body') });
    if (!checked.ok) {
      const errors = { ...checked.errors };
      if (errors.rating) errors.rating = [m.err_rating()];
      return invalid(errors, values, 'review');
    }
    return act(event, 'review', values, () => event.locals.api.POST('/bookings/{id}/review', { ...path(event), body: checked.data }), m.booking_done_reviewed());
  },

  reply: async (event) => {
    const { data, values } = await read(event);
    const checked = check(ReplyBody, { reply: str(data, 'reply') });
    if (!checked.ok) return invalid(checked.errors, values, 'reply');
    return act(event, 'reply', values, () => event.locals.api.POST('/reviews/{id}/reply', { params: { path: { id: str(data, 'reviewId') } }, body: { reply: checked.data.reply } }), m.booking_done_replied());
  },

  /**
   * A tip, in two steps so one click never charges a card: the amount chosen (a preset's cents or a
   * typed amount) is checked against this booking's bounds (the API's own rule, from its options)
   * and asked to be confirmed; the confirmation gives it (the saved card pays it at once, else
   * Stripe Checkout). "Change" goes back to the choice as it was. Works without JavaScript.
   */
  tip: async (event) => {
    const { data, values } = await read(event);
    const step = str(data, 'step');
    if (step === 'change') {
      const back: FormState = { form: 'tip', values: { choice: str(data, 'choice'), amount: str(data, 'amount') } };
      return back;
    }
    if (step === 'confirm') {
      const confirmed = str(data, 'amountCents');
      if (!/^\d{1,7}$/.test(confirmed)) return invalid({ amount: [m.err_tip_choose()] }, values, 'tip');
      let given;
      try {
        given = await ok(event.locals.api.POST('/bookings/{id}/tip', { ...path(event), body: { amountCents: Number(confirmed) } }));
      } catch (e) {
        return apiFailure(event, e, values, { form: 'tip', rename: { amountCents: 'amount' } });
      }
      if (given.status === 'open' && given.checkoutUrl) redirect(303, given.checkoutUrl);
      // The section's own line says thank you once the tip is paid (one line, not two).
      return { form: 'tip', success: '' } satisfies FormState;
    }
    const choice = str(data, 'choice');
    const typed = str(data, 'amount').trim();
    let cents: number | null;
    if (choice === 'other' || (!choice && typed)) {
      if (!typed) return invalid({ amount: [m.err_tip_choose()] }, values, 'tip');
      cents = parseMoneyToCents(typed);
      if (cents === null) return invalid({ amount: [amountFormatText(typed)] }, values, 'tip');
    } else {
      cents = /^\d{1,7}$/.test(choice) ? Number(choice) : null;
      if (cents === null) return invalid({ amount: [m.err_tip_choose()] }, values, 'tip');
    }
    let options;
    try {
      options = await ok(event.locals.api.GET('/bookings/{id}/tip', path(event)));
    } catch (e) {
      return apiFailure(event, e, values, { form: 'tip' });
    }
    if (cents < options.minCents) return invalid({ amount: [m.err_amount_min({ amount: money(options.minCents) })] }, values, 'tip');
    if (cents > options.maxCents) return invalid({ amount: [m.err_amount_max({ amount: money(options.maxCents) })] }, values, 'tip');
    // Asked to confirm: the section shows the amount and how it will be paid, and sends it back.
    const toConfirm: FormState = { form: 'tip', values: { ...values, confirmCents: String(cents) } };
    return toConfirm;
  },

  refund: async (event) => {
    const { data, values } = await read(event);
    const amountText = str(data, 'amount').trim();
    const cents = amountText ? parseMoneyToCents(amountText) : null;
    const checked = check(StewardRefundBody, { serviceCents: cents ?? undefined, reason: str(data, 'reason') }, { serviceCents: 'amount' });
    const errors: FieldMessages = checked.ok ? {} : { ...checked.errors };
    if (!amountText) errors.amount = [m.err_required()];
    else if (cents === null) errors.amount = [amountFormatText(amountText)];
    else if (cents === 0) errors.amount = [m.err_refund_positive()];
    if (!checked.ok || Object.keys(errors).length) return invalid(errors, values, 'refund');
    return act(event, 'refund', values, () => event.locals.api.POST('/bookings/{id}/refunds', { ...path(event), body: checked.data }), m.booking_done_refunded(), { serviceCents: 'amount' });
  },
};
