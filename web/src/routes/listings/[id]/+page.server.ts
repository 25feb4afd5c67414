import { error, fail, redirect } from '@sveltejs/kit';
import { render } from 'svelte/server';
import { CreateBookingBody, addonTotals, bookingPrice, type Schedule, type Listing, type ListingAddon } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { isApiError } from '$lib/server/api-error';
import { apiFailure, check, formValues, invalid, str, type FormState } from '$lib/server/forms';
import { loadFailure } from '$lib/server/guards';
import { idempotencyKeyOf, newIdempotencyKey } from '$lib/server/idempotency';
import { chosenStart, loadWeek, tooLongWithAddons } from '$lib/server/week';
import { discountText, frequencyLabel, visitPriceText } from '$lib/series-text';
import { ok } from '$lib/server/api/client';
import { ADDRESS_FIELDS, addressInput } from '$lib/server/address-choice';
import type { Actions, PageServerLoad } from './$types';
import RegularChoice from './RegularChoice.svelte';
import ListingAside from './ListingAside.svelte';
import ReviewList from '$lib/components/ReviewList.svelte';
import { seriesLimitReached } from '$lib/server/series-room';
import { writeToCoopHtml } from '$lib/server/write-to-coop';
import { listingPhotosHtml } from '$lib/server/listing-photos';
import { speaksForCoop } from '$lib/conversation-text';
import { localDate } from '$lib/time';
import { answerKeys, answersOf } from '$lib/server/booking-answers';

/**
 * The once / regular-visits choice of the booking form, rendered here as HTML: it is a plain GET
 * form shown by CSS, so the listing page ships no script for it (its JavaScript budget is tight);
 * the next step is a page of its own.
 */
function regularChoice(listing: Listing, schedule: Schedule, start: string | null, limitReached: string | null, conversationId: string | null, addons: ListingAddon[]): string | null {
  if (!schedule.seriesFrequencies.length || !start) return null;
  const service = bookingPrice(listing.priceKind, listing.priceCents, listing.durationMinutes);
  // The add-ons chosen come with every visit, at their own prices (the discount is on the service).
  const extra = addonTotals(addons).cents;
  const full = service + extra;
  // Rounded to the cent as the API rounds it; the next step shows the API's own figure.
  const perVisit = Math.round((service * (10_000 - schedule.seriesDiscountBps)) / 10_000) + extra;
  const regular = {
    frequencies: schedule.seriesFrequencies.map((value) => ({ value, label: frequencyLabel(value) })),
    discount: discountText(schedule.seriesDiscountBps),
    price: visitPriceText(perVisit, full),
    words: {
      legend: m.series_kind_legend(), once: m.series_kind_once(), regular: m.series_kind_regular(), frequency: m.series_frequency(),
      end: m.series_end(), endNone: m.series_end_none(), endUntil: m.series_end_until(), endCount: m.series_end_count(),
      until: m.series_until_label(), count: m.series_count_label(), submit: m.series_preview_submit(), hint: m.series_preview_hint(),
    },
  };
  return render(RegularChoice, { props: { listingId: listing.id, start, regular, full: limitReached, mine: m.nav_my_bookings(), conversationId, addonIds: addons.map((a) => a.id) } }).body;
}


/** Regular visits offered, with their discount, as public as the price: "Visites régulières : chaque semaine… — 10 % de rabais". */
function regularOffer(schedule: Schedule): string | null {
  if (!schedule.seriesFrequencies.length) return null;
  const often = schedule.seriesFrequencies.map((f) => frequencyLabel(f).toLocaleLowerCase()).join(', ');
  const discount = discountText(schedule.seriesDiscountBps);
  return m.listing_regular_offer({ frequencies: often }) + (discount ? ` — ${discount}` : '');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  if (!UUID.test(event.params.id)) error(404, { message: m.error_not_found_title() });
  const { api, user } = event.locals;
  let listing, fee, reviews, schedule;
  try {
    [listing, fee, reviews, schedule] = await Promise.all([
      ok(api.GET('/listings/{id}', { params: { path: { id: event.params.id } } })),
      ok(api.GET('/platform/fee')),
      ok(api.GET('/listings/{id}/reviews', { params: { path: { id: event.params.id } } })),
      ok(api.GET('/listings/{id}/schedule', { params: { path: { id: event.params.id } } })),
    ]);
  } catch (e) {
    loadFailure(event, e);
  }
  // The add-ons chosen (?addon=<id>, repeated): only the listing's offered ones count, each once.
  const addons = listing.addons.filter((a) => a.active);
  const addonIds = [...new Set(event.url.searchParams.getAll('addon'))].filter((id) => addons.some((a) => a.id === id));
  const canManage = Boolean(user?.coops.some((c) => c.coopId === listing.coop.id && c.role === 'admin'));
  const asked = event.url.searchParams.get('slot');
  // A slot offered in a conversation opens on its own week (the link names the instant only).
  const weekAsked = event.url.searchParams.get('week') ?? (asked && !Number.isNaN(Date.parse(asked)) ? localDate(asked, schedule.timeZone) : null);

  // The week of free slots; a failure there must not hide the rest of the page.
  let week = null;
  let weekFailed = false;
  // Without opening hours there is nothing to book (and search does not show it).
  // A listing on quote only is not booked at a price: its page asks for a quote instead.
  const bookable = listing.status === 'active' && listing.hasHours && listing.quoteMode !== 'only';
  if (bookable) {
    try {
      week = await loadWeek(api, listing.id, schedule, weekAsked, undefined, addonIds);
    } catch (e) {
      if (!isApiError(e)) console.error('[web] slots failed', e);
      weekFailed = true;
    }
  }
  const { chosen, gone: chosenGone } = week && asked ? await chosenStart(api, listing.id, week, asked, addonIds) : { chosen: null, gone: null };
  const tooLong = week ? await tooLongWithAddons(api, listing.id, schedule, week, addonIds) : false;
  const conversation = event.url.searchParams.get('conversation');
  const conversationId = conversation && UUID.test(conversation) ? conversation : null;
  const { starts: _starts, ...weekView } = week ?? { starts: null };
  const limitReached = user && chosen && bookable && schedule.seriesFrequencies.length ? await seriesLimitReached(api, listing.id) : null;
  // Her saved addresses, offered when the co-op comes to her; the form still works without them.
  const addresses = user && chosen && bookable && listing.locationMode === 'client_place'
    ? await ok(api.GET('/me/addresses')).then((r) => r.items, () => [])
    : [];

  const write = speaksForCoop(user, listing.coop.id)
    ? null
    : writeToCoopHtml({ listing: listing.id }, { coopName: listing.coop.name, signedIn: Boolean(user), open: event.url.searchParams.has('write') });
  return {
    listing,
    photosHtml: listingPhotosHtml(listing.photos),
    /** The price, facts and co-op card (HTML, ListingAside.svelte): no script for them in the page. */
    asideHtml: render(ListingAside, {
      props: { listing, bookable, regularOffer: bookable ? regularOffer(schedule) : null, feeRateBps: fee.current.rateBps, write },
    }).body,
    canManage,
    fee,
    reviews,
    /** The reviews themselves (HTML, ReviewList.svelte): no script for them in the page. */
    reviewsHtml: reviews.items.length ? render(ReviewList, { props: { reviews: reviews.items, coopName: listing.coop.name } }).body : null,
    schedule,
    bookable,
    week: week ? (weekView as Omit<typeof week, 'starts'>) : null,
    weekFailed,
    chosen,
    regular: bookable ? regularChoice(listing, schedule, chosen, limitReached, conversationId, addons.filter((a) => addonIds.includes(a.id))) : null,
    addons,
    addonIds,
    /** The week the link named, kept when add-ons change; a week only shown is not, so the longer
     * visit opens on its own first free week. */
    weekKept: event.url.searchParams.get('week'),
    /** A slot asked for in the link that is not free: too long with the options chosen, or taken (or past). */
    chosenGone,
    /** The options chosen make the visit too long for any free time in the weeks ahead. */
    tooLong,
    contact: user ? { name: user.name, email: user.email } : null,
    /** "Écrire à la coop" (HTML): for everyone but the co-op's own people. */
    write,
    /** Booking a slot offered in a conversation: the booking carries the conversation on. */
    conversationId,
    addresses,
    idempotencyKey: newIdempotencyKey(),
  };
};

export const actions: Actions = {
  book: async (event) => {
    const data = await event.request.formData();
    const values = formValues(data, answerKeys(data));
    const startsAt = str(data, 'startsAt');
    const conversationId = str(data, 'conversationId');
    const addonIds = data.getAll('addonIds').filter((v): v is string => typeof v === 'string');
    const backParams = new URLSearchParams({ slot: startsAt, week: str(data, 'week'), ...(UUID.test(conversationId) && { conversation: conversationId }) });
    for (const id of addonIds) backParams.append('addon', id);
    const back = `/listings/${event.params.id}?${backParams}#book`;
    if (!event.locals.user) redirect(303, `/sign-in?redirectTo=${encodeURIComponent(back)}`);

    const solidarity = str(data, 'solidarity') === 'on';
    const organization = str(data, 'solidarityOrganization').trim();
    const input = {
      listingId: event.params.id,
      startsAt,
      // Where the co-op comes: one of her saved addresses, or one typed here.
      ...addressInput(data),
      notes: str(data, 'notes'),
      contactName: str(data, 'contactName'),
      contactPhone: str(data, 'contactPhone'),
      contactEmail: str(data, 'contactEmail'),
      solidarityOrganization: solidarity ? organization : undefined,
      conversationId: UUID.test(str(data, 'conversationId')) ? str(data, 'conversationId') : undefined,
      answers: answersOf(data),
      addonIds,
    };
    const checked = check(CreateBookingBody, input, ADDRESS_FIELDS);
    const errors = checked.ok ? {} : { ...checked.errors };
    if (solidarity && !organization) errors.solidarityOrganization = [m.err_organization_required()];
    if (!startsAt) errors.startsAt = [m.err_choose_slot()];
    if (!checked.ok || Object.keys(errors).length) return invalid(errors, values, 'book');

    let bookingId: string;
    try {
      // One key per page and slot: a double click books once; another slot from the same page
      // (after going back) is another booking.
      const key = idempotencyKeyOf(data);
      const header = { 'idempotency-key': key && `${key}-${startsAt.replace(/[^0-9A-Za-z]/g, '')}` };
      bookingId = (await ok(event.locals.api.POST('/bookings', { params: { header }, body: checked.data }))).id;
    } catch (e) {
      // Someone else got the slot first: forget it, so the form asks for another one from the fresh week.
      if (isApiError(e) && e.code === 'slot_unavailable') {
        const { startsAt: _gone, ...kept } = values;
        return fail(409, { form: 'book', values: kept, message: m.err_slot_unavailable() } satisfies FormState);
      }
      return apiFailure(event, e, values, { form: 'book', rename: ADDRESS_FIELDS });
    }
    redirect(303, `/bookings/${bookingId}?done=booked`);
  },

};
