import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pickWorker, rankCandidates, type AssignCandidate } from './pick.js';
import { absenceInstants, monthStart } from './time-off.js';

const candidate = fc.record({
  userId: fc.uuid(),
  minutesThisMonth: fc.integer({ min: 0, max: 20_000 }),
  lastAssignedAt: fc.option(fc.integer({ min: 0, max: 2_000_000_000_000 }), { nil: null }),
});
const team = fc.uniqueArray(candidate, { selector: (c) => c.userId, minLength: 1, maxLength: 12 });
const earlier = (a: number | null, b: number | null) => (a ?? -Infinity) < (b ?? -Infinity);

describe('pickWorker', () => {
  it('gives the booking to the one with the fewest minutes this month', () => {
    const picked = pickWorker([
      { userId: 'b', minutesThisMonth: 300, lastAssignedAt: 1 },
      { userId: 'a', minutesThisMonth: 120, lastAssignedAt: 50 },
      { userId: 'c', minutesThisMonth: 120, lastAssignedAt: 10 },
    ]);
    expect(picked?.userId).toBe('c');
  });

  it('takes someone never assigned before anyone assigned, then the smallest id', () => {
    expect(pickWorker([
      { userId: 'b', minutesThisMonth: 0, lastAssignedAt: 5 },
      { userId: 'd', minutesThisMonth: 0, lastAssignedAt: null },
      { userId: 'c', minutesThisMonth: 0, lastAssignedAt: null },
    ])?.userId).toBe('c');
    expect(pickWorker([])).toBeNull();
  });

  it('picks a candidate nobody beats, whatever the order it is given', () => {
    fc.assert(fc.property(team, fc.nat(), (cs, seed) => {
      const picked = pickWorker(cs)!;
      expect(cs).toContain(picked);
      for (const c of cs) {
        expect(c.minutesThisMonth).toBeGreaterThanOrEqual(picked.minutesThisMonth);
        if (c.minutesThisMonth === picked.minutesThisMonth) expect(earlier(c.lastAssignedAt, picked.lastAssignedAt)).toBe(false);
      }
      const shuffled = [...cs].sort((a, b) => ((a.userId.charCodeAt(seed % 36) || 0) - (b.userId.charCodeAt(seed % 36) || 0)));
      expect(pickWorker(shuffled)).toEqual(picked);
    }));
  });

  it('goes round the team: each booking given to the pick, the next pick is someone else until all had one', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 8 }), (n) => {
      let cs: AssignCandidate[] = Array.from({ length: n }, (_, i) => ({ userId: `w${i}`, minutesThisMonth: 0, lastAssignedAt: null }));
      const seen = new Set<string>();
      for (let t = 1; t <= n; t++) {
        const p = pickWorker(cs)!;
        expect(seen.has(p.userId)).toBe(false);
        seen.add(p.userId);
        cs = cs.map((c) => (c.userId === p.userId ? { ...c, minutesThisMonth: c.minutesThisMonth + 90, lastAssignedAt: t } : c));
      }
      expect(rankCandidates(cs).map((c) => c.lastAssignedAt)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    }));
  });
});

describe('absenceInstants', () => {
  it('covers whole local days, a 25-hour day at the November change included', () => {
    const r = absenceInstants({ allDay: true, startDate: '2026-11-01', endDate: '2026-11-01' }, 'America/Toronto');
    expect(r.startsAt.toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(r.endsAt.toISOString()).toBe('2026-11-02T05:00:00.000Z');
  });

  it('reads hours on the co-op clock, and the month starts at local midnight', () => {
    const r = absenceInstants({ allDay: false, startDate: '2026-07-03', startTime: '13:30', endDate: '2026-07-03', endTime: '17:00' }, 'America/Toronto');
    expect([r.startsAt.toISOString(), r.endsAt.toISOString()]).toEqual(['2026-07-03T17:30:00.000Z', '2026-07-03T21:00:00.000Z']);
    expect(monthStart(new Date('2026-12-01T03:00:00Z'), 'America/Toronto').toISOString()).toBe('2026-11-01T04:00:00.000Z');
  });
});
