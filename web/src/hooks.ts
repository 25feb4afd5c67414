import type { Reroute } from '@sveltejs/kit';
import { frenchPath } from '$lib/french-paths';

export const reroute: Reroute = ({ url }) => frenchPath(url.pathname);
