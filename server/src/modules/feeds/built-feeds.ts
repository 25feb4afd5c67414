/**
 * The feeds built lately, per feed id, each under the stamp of the visits it was built from
 * (repository.feedStamp): served again only while the visits' stamp is the same, and for a few
 * minutes at most (a listing's title or a co-op's name is not in the stamp). A calendar polled by
 * many subscribers, or asked for over and over, is built once per change instead of every time.
 * Memory only, per API instance, and never the truth: every answer still reads the stamp first.
 */
export interface BuiltFeeds {
  get(feedId: string, stamp: string): string | undefined;
  put(feedId: string, stamp: string, ics: string): void;
}

export function builtFeeds({ maxFeeds = 32, ttlMs = 5 * 60_000, now = () => Date.now() } = {}): BuiltFeeds {
  const byFeed = new Map<string, { stamp: string; ics: string; until: number }>();
  return {
    get(feedId, stamp) {
      const hit = byFeed.get(feedId);
      if (!hit || hit.stamp !== stamp || hit.until < now()) return undefined;
      // Most recently used last: the first one is the one to drop when full.
      byFeed.delete(feedId);
      byFeed.set(feedId, hit);
      return hit.ics;
    },
    put(feedId, stamp, ics) {
      byFeed.delete(feedId);
      while (byFeed.size >= maxFeeds) byFeed.delete(byFeed.keys().next().value!);
      byFeed.set(feedId, { stamp, ics, until: now() + ttlMs });
    },
  };
}
