import fc from 'fast-check';
import { Info } from 'luxon';
import { describe, expect, it } from 'vitest';
import { zoneOffsets } from './zone-offsets.js';

const ZONES = ['America/Toronto', 'Europe/Paris', 'Australia/Lord_Howe', 'Pacific/Chatham', 'UTC', 'America/Havana', 'Africa/Casablanca', 'Antarctica/Troll', 'Asia/Kolkata'];

describe('zone offsets found once', () => {
  it('are the offsets Luxon gives, at any instant of 2020–2035', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }), (zone, ms) => {
        expect(zoneOffsets(zone)!.offsetAt(ms)).toBe(Info.normalizeZone(zone).offset(ms));
      }),
      { numRuns: 3000 },
    );
  });
  it('are exact to the second around a change (Toronto, 8 March 2026 at 07:00 UTC)', () => {
    const z = zoneOffsets('America/Toronto')!;
    const change = Date.UTC(2026, 2, 8, 7);
    expect([z.offsetAt(change - 1), z.offsetAt(change), z.offsetAt(change + 999)]).toEqual([-300, -240, -240]);
  });
  it('refuse a zone Luxon does not know', () => {
    expect(zoneOffsets('Mars/Olympus_Mons')).toBeNull();
  });
});
