import { getLocale as requestLocale } from '$lib/paraglide/runtime';

export type Locale = 'fr' | 'en';

/**
 * The reader's language. On the server, Paraglide's (the request's cookie, else French); in the
 * browser, the language the server rendered the page in (`<html lang>`), without Paraglide's
 * runtime (its strategies are server business here). Messages pick their language the same way
 * in the browser (web/vite/client-messages.ts).
 */
export const getLocale: () => Locale = import.meta.env.SSR
  ? () => requestLocale() // called through: tests swap Paraglide's with overwriteGetLocale
  : () => (document.documentElement.lang === 'en' ? 'en' : 'fr');
