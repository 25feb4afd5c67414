import type { Reroute } from '@sveltejs/kit';
import { PRIVACY_PATHS } from '$lib/paths/privacy';

/** French addresses of English-named routes: the address bar keeps the French one. */
export const reroute: Reroute = ({ url }) => PRIVACY_PATHS[url.pathname];
