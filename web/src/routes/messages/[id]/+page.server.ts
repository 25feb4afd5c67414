import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { HOME_ZONE } from '$lib/time';
import { conversationActions, conversationPanel, loadConversation } from '$lib/server/conversations';
import { loadFailure, requireUser } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  if (!UUID.test(event.params.id)) error(404, { message: m.error_not_found_title() });
  try {
    const loaded = await loadConversation(event.locals.api, event.params.id);
    // The feed in words here, not in the browser's scripts (issue 11's JS budget).
    return conversationPanel(loaded, HOME_ZONE);
  } catch (e) {
    loadFailure(event, e);
  }
};

export const actions: Actions = conversationActions;
