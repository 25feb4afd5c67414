import { redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { isApiError } from '$lib/server/api-error';
import { apiErrorMessage, apiFailure } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';

/**
 * What became of a return from Stripe's setup page. `saved`: the session finished and its card is
 * the one saved now. `pending`: not finished (or no session named): nothing saved from it yet, she is
 * told to reload later rather than left waiting. `refused`: the API would not confirm it (a session
 * that is not hers, or none at all): nothing was saved, and its answer says why.
 */
type Return = { outcome: 'saved' | 'pending' } | { outcome: 'refused'; why: string };

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  const back = event.url.searchParams.get('card');
  const session = event.url.searchParams.get('session');
  try {
    let returned: Return | null = null;
    let card = null;
    if (back === 'saved' && session) {
      // Back from Stripe's setup page: the card she just entered is recorded now, not when its webhook comes.
      try {
        const confirmed = await ok(event.locals.api.POST('/me/card/confirm', { body: { sessionId: session } }));
        card = confirmed.card;
        returned = confirmed.session === 'complete' && card ? { outcome: 'saved' }
          : confirmed.session === 'expired' ? { outcome: 'refused', why: m.card_session_expired() }
          : { outcome: 'pending' };
      } catch (e) {
        if (!isApiError(e) || e.status >= 500 || e.status === 401) throw e;
        returned = { outcome: 'refused', why: apiErrorMessage(e, { not_found: m.card_session_unknown, validation_failed: m.card_session_unknown, bad_request: m.card_session_unknown }) };
      }
    } else if (back === 'saved') {
      returned = { outcome: 'pending' };
    }
    if (!returned || returned.outcome !== 'saved') card = (await ok(event.locals.api.GET('/me/card'))).card;
    return { card, returned, cancelled: back === 'cancelled', removed: event.url.searchParams.get('removed') === '1', confirmRemove: event.url.searchParams.get('remove') === '1' };
  } catch (e) {
    loadFailure(event, e);
  }
};

export const actions: Actions = {
  /** Stripe Checkout in setup mode (the local emulator in development); back here once the card is saved. */
  save: async (event) => {
    requireUser(event);
    let url: string;
    try {
      url = (await ok(event.locals.api.POST('/me/card/setup', { body: { returnTo: '/account/card' } }))).url;
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'save' });
    }
    redirect(303, url);
  },
  /** Only from the confirmation step (`?remove=1`), which says what removing the card does. */
  remove: async (event) => {
    requireUser(event);
    if ((await event.request.formData()).get('confirm') !== 'yes') redirect(303, '/account/card?remove=1');
    try {
      await ok(event.locals.api.DELETE('/me/card'));
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'remove' });
    }
    redirect(303, '/account/card?removed=1');
  },
};
