import { error, redirect } from '@sveltejs/kit';
import { CreateQuoteBody } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { apiFailure, check, formValues, invalid, str, strs, type FieldMessages } from '$lib/server/forms';
import { loadFailure } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import { isLocalDate, localDate } from '$lib/time';
import { answerKeys, answersOf } from '$lib/server/booking-answers';
import { ADDRESS_FIELDS, addressInput } from '$lib/server/address-choice';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  if (!UUID.test(event.params.id)) error(404, { message: m.error_not_found_title() });
  let listing;
  try {
    listing = await ok(event.locals.api.GET('/listings/{id}', { params: { path: { id: event.params.id } } }));
  } catch (e) {
    loadFailure(event, e);
  }
  const conversation = event.url.searchParams.get('conversation');
  // Her saved addresses, offered when the co-op comes to her (as the booking form does); the form works without them.
  const addresses = event.locals.user && listing.locationMode === 'client_place'
    ? await ok(event.locals.api.GET('/me/addresses')).then((r) => r.items, () => [])
    : [];
  return {
    listing,
    addresses,
    signedIn: Boolean(event.locals.user),
    takesQuotes: listing.status === 'active' && listing.quoteMode !== 'none',
    today: localDate(new Date(), 'America/Toronto'),
    conversationId: conversation && UUID.test(conversation) ? conversation : null,
  };
};

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const values = formValues(data, ['date', ...answerKeys(data)]);
    if (!event.locals.user) redirect(303, `/sign-in?redirectTo=${encodeURIComponent(event.url.pathname)}`);
    const dates = strs(data, 'date').map((d) => d.trim()).filter(Boolean);
    const errors: FieldMessages = {};
    if (dates.some((d) => !isLocalDate(d))) errors.date = [m.err_choose_date()];
    else if (dates.some((d) => d < localDate(new Date(), 'America/Toronto'))) errors.date = [m.err_date_in_past()];
    const conversationId = str(data, 'conversationId');
    const input = {
      listingId: event.params.id,
      description: str(data, 'description'),
      // One of her saved addresses, or one typed here (saved unless she unticks the box).
      ...addressInput(data),
      preferredDates: [...new Set(dates)].sort().map((from) => ({ from })),
      datesNote: str(data, 'datesNote'),
      // The listing's questions, asked here as at booking (QuestionFields); the API checks them.
      answers: answersOf(data),
      conversationId: UUID.test(conversationId) ? conversationId : undefined,
    };
    const checked = check(CreateQuoteBody, input, { preferredDates: 'date', ...ADDRESS_FIELDS });
    if (!checked.ok || Object.keys(errors).length) return invalid({ ...(checked.ok ? {} : checked.errors), ...errors }, values);
    let id: string;
    try {
      id = (await ok(event.locals.api.POST('/quotes', { body: checked.data }))).id;
    } catch (e) {
      return apiFailure(event, e, values, { rename: { preferredDates: 'date', ...ADDRESS_FIELDS } });
    }
    redirect(303, `/quotes/${id}?done=requested`);
  },
};
