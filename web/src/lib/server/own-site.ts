/**
 * Whether a GET came from a page of this site (or from the address bar), so that it may change
 * something saved for the signed-in person. A GET is a link: another site can make a browser
 * follow one (a link, an image, a redirect), carrying its cookies. Browsers say where a request
 * comes from in Sec-Fetch-Site, which a page cannot forge; an Origin or Referer of another site
 * refuses it too. Without Sec-Fetch-Site (older browsers), only a Referer or Origin of this site
 * says yes. 'same-site' is refused: a sibling subdomain is another site for this purpose.
 */
export interface RequestOrigin {
  secFetchSite: string | null;
  origin: string | null;
  referer: string | null;
}

const originOf = (value: string): string | null => {
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
};

export function fromOwnSite(req: RequestOrigin, ownOrigin: string): boolean {
  const own = originOf(ownOrigin);
  if (!own) return false;
  // Present and from elsewhere (or unreadable, or "null" from a sandboxed frame): refused.
  for (const value of [req.origin, req.referer]) {
    if (value !== null && originOf(value) !== own) return false;
  }
  const site = req.secFetchSite?.trim().toLowerCase();
  if (site) return site === 'same-origin' || site === 'none';
  return req.origin !== null || req.referer !== null;
}

export const requestOrigin = (headers: Headers): RequestOrigin => ({
  secFetchSite: headers.get('sec-fetch-site'),
  origin: headers.get('origin'),
  referer: headers.get('referer'),
});
