import { describe, expect, it } from 'vitest';
import { builtFeeds } from './built-feeds.js';

describe('builtFeeds', () => {
  it('builds a feed once for requests at once, again when its stamp changes or its time is up', async () => {
    let clock = 0;
    let builds = 0;
    const feeds = builtFeeds({ ttlMs: 1000, now: () => clock });
    const build = (ics: string) => async () => { builds++; await new Promise((r) => setTimeout(r, 5)); return ics; };
    expect(await Promise.all([feeds.serve('f', 's1', build('A')), feeds.serve('f', 's1', build('A'))])).toEqual(['A', 'A']);
    expect(builds).toBe(1);
    expect(await feeds.serve('f', 's1', build('A'))).toBe('A');
    expect(builds).toBe(1);
    expect(await feeds.serve('f', 's2', build('B'))).toBe('B');
    expect(builds).toBe(2);
    clock = 1001;
    expect(await feeds.serve('f', 's2', build('C'))).toBe('C');
    expect(builds).toBe(3);
  });

  it('keeps at most maxFeeds, dropping the least recently served', async () => {
    const feeds = builtFeeds({ maxFeeds: 2 });
    let builds = 0;
    const build = async () => `${++builds}`;
    await feeds.serve('a', 's', build);
    await feeds.serve('b', 's', build);
    await feeds.serve('a', 's', build);
    await feeds.serve('c', 's', build);
    expect(await feeds.serve('a', 's', build)).toBe('1');
    expect(await feeds.serve('b', 's', build)).toBe('4');
  });
});
