import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The person's conversations, newest first; a steward's "reported" list; a co-op's only, for people of several. */
export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  const params = event.url.searchParams;
  const reported = params.get('reported') === '1';
  if (reported && !user.isSteward) error(403, { message: m.steward_only() });
  const coopParam = params.get('coop');
  const coops = user.coops
    .filter((c) => (c.role === 'admin' || c.role === 'worker') && c.coopStatus === 'approved')
    .map((c) => ({ id: c.coopId, name: c.coopName }));
  const coopId = coopParam && UUID.test(coopParam) && coops.some((c) => c.id === coopParam) ? coopParam : undefined;
  const offsetText = params.get('offset') ?? '0';
  const offset = /^\d{1,6}$/.test(offsetText) ? Math.min(Number(offsetText), 100_000) : 0;
  try {
    const list = await ok(
      event.locals.api.GET('/conversations', { params: { query: { limit: PAGE_SIZE, offset, ...(coopId && { coopId }), ...(reported && { reported: 'true' }) } } }),
    );
    return { list, reported, hidden: reported && params.get('hidden') === '1', coops: coops.length > 1 ? coops : [], coopId: coopId ?? null, offset, pageSize: PAGE_SIZE };
  } catch (e) {
    loadFailure(event, e);
  }
};
