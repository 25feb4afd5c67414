import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  if (!UUID.test(event.params.id)) error(404, { message: m.error_not_found_title() });
  try {
    return { plan: await ok(event.locals.api.GET('/plans/{id}', { params: { path: { id: event.params.id } } })) };
  } catch (e) {
    loadFailure(event, e);
  }
};
