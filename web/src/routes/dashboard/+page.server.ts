import { requireUser } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
  const user = requireUser(event);
  return { memberships: user.coops, isSteward: user.isSteward, joined: event.url.searchParams.get('done') === 'joined' };
};
