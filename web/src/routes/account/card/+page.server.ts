import { redirect } from '@sveltejs/kit';
import { apiFailure } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  try {
    const back = event.url.searchParams.get('card');
    const session = event.url.searchParams.get('session');
    // Back from Stripe's setup page: the card she just entered is recorded now, not when its webhook comes.
    const confirmed = back === 'saved' && session
      ? await ok(event.locals.api.POST('/me/card/confirm', { body: { sessionId: session } })).catch(() => null)
      : null;
    const { card } = confirmed ?? (await ok(event.locals.api.GET('/me/card')));
    return { card, saved: back === 'saved', cancelled: back === 'cancelled', removed: event.url.searchParams.get('removed') === '1' };
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
  remove: async (event) => {
    requireUser(event);
    try {
      await ok(event.locals.api.DELETE('/me/card'));
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'remove' });
    }
    redirect(303, '/account/card?removed=1');
  },
};
