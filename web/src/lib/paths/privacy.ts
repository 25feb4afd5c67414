/** The privacy page's French address: shown as is, served by /privacy (hooks.ts reroute). */
export const PRIVACY_PATHS: Record<string, string> = { '/confidentialite': '/privacy' };
