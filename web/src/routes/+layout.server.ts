import type { Waiting } from '@tissu/shared';
import { ok } from '$lib/server/api/client';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, depends, url }) => {
  depends('tissu:waiting');
  // Read again on every navigation, so the badges follow what the person has done and read
  // (a page that marks a conversation read also answers the counts after it: `waiting` in its data).
  void url.pathname;
  return {
    user: locals.user,
    locale: locals.locale,
    // The header's badges; a page never fails because its counts could not be read.
    waiting: locals.user ? await ok(locals.api.GET('/me/waiting')).catch((): Waiting | null => null) : null,
  };
};
