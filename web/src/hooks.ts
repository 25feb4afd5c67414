import type { Reroute } from '@sveltejs/kit';

/**
 * French paths people type or are given, served by the page of the same name: the address bar
 * keeps what they typed. "/compte" is the account page.
 */
const FRENCH_PATHS: Record<string, string> = {
  '/compte': '/account',
};

export const reroute: Reroute = ({ url }) => FRENCH_PATHS[url.pathname];
