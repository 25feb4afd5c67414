/**
 * The feeds built lately, per feed id, each under the stamp of the visits it was built from
 * (repository.feedStamp): served again only while the visits' stamp is the same, and for a few
 * minutes at most (a listing's title or a co-op's name is not in the stamp). A calendar polled by
 * many subscribers, or asked for over and over, is built once per change instead of every time;
 * asked for again while it is being built, it waits for that build rather than starting another.
 * Memory only, per API instance, and never the truth: every answer still reads the stamp first.
 */
export interface BuiltFeeds {
  serve(feedId: string, stamp: string, build: () => Promise<string>): Promise<string>;
}

export function builtFeeds({ maxFeeds = 32, ttlMs = 5 * 60_000, now = () => Date.now() } = {}): BuiltFeeds {
  const byFeed = new Map<string, { stamp: string; ics: string; until: number }>();
  const building = new Map<string, Promise<string>>();

  function put(feedId: string, stamp: string, ics: string) {
    byFeed.delete(feedId);
    // Most recently used last: the first one is the one to drop when full.
    while (byFeed.size >= maxFeeds) byFeed.delete(byFeed.keys().next().value!);
    byFeed.set(feedId, { stamp, ics, until: now() + ttlMs });
  }

  return {
    serve(feedId, stamp, build) {
      const hit = byFeed.get(feedId);
      if (hit && hit.stamp === stamp && hit.until >= now()) {
        byFeed.delete(feedId);
        byFeed.set(feedId, hit);
        return Promise.resolve(hit.ics);
      }
      const key = `${feedId}\n${stamp}`;
      let pending = building.get(key);
      if (!pending) {
        pending = build().then((ics) => (put(feedId, stamp, ics), ics)).finally(() => building.delete(key));
        building.set(key, pending);
      }
      return pending;
    },
  };
}
