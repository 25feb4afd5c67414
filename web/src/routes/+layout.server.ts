import type { Waiting } from '@tissu/shared';
import { ok } from '$lib/server/api/client';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, depends }) => {
  depends('tissu:waiting');
  return {
    user: locals.user,
    locale: locals.locale,
    // The header's badges; a page never fails because its counts could not be read.
    waiting: locals.user ? await ok(locals.api.GET('/me/waiting')).catch((): Waiting | null => null) : null,
  };
};
