import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import { awaitsAnswerFrom } from '$lib/quote-text';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  const { id } = event.params;
  if (!UUID.test(id)) error(404, { message: m.error_not_found_title() });
  try {
    const [coop, list] = await Promise.all([
      ok(event.locals.api.GET('/coops/{idOrSlug}', { params: { path: { idOrSlug: id } } })),
      ok(event.locals.api.GET('/quotes', { params: { query: { as: 'coop', coopId: id, scope: 'all' } } })),
    ]);
    const open = list.items.filter((q) => ['requested', 'offered', 'changes_requested'].includes(q.state));
    return {
      coop,
      // What waits for the co-op's answer first; then what waits for the client; then the closed ones.
      toAnswer: open.filter((q) => awaitsAnswerFrom(q.state, 'coop')),
      withClient: open.filter((q) => !awaitsAnswerFrom(q.state, 'coop')),
      closed: list.items.filter((q) => !open.includes(q)),
    };
  } catch (e) {
    loadFailure(event, e);
  }
};
