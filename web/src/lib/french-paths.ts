/**
 * French paths people type or are given, served by the page of the same name (hooks.ts reroutes
 * them): the address bar keeps what they typed.
 */
const FRENCH_PATHS: Record<string, string> = {
  '/compte': '/account',
  '/compte/adresses': '/account/addresses',
  '/confidentialite': '/privacy',
};

export const frenchPath = (pathname: string): string | undefined => FRENCH_PATHS[pathname];
