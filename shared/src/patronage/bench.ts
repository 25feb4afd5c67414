/**
 * Patronage allocation benchmark: 100,000 members across the three classes, a 2.5 M$ surplus,
 * timed end to end (reserve, class pools, largest-remainder shares, cash/retained, threshold,
 * withholding). Median of 5 runs after a warm-up. Called by `pnpm bench`; not exported from
 * the package index so it never reaches the web bundle.
 */
import { performance } from 'node:perf_hooks';
import { allocatePatronage } from './allocate.js';
import type { AllocationInputLoose, MemberClass } from './schemas.js';

export interface PatronageBench {
  members: number;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

/** A deterministic year: a few hundred co-ops with large bookings, many workers and many clients. */
export function benchYear(members = 100_000): AllocationInputLoose {
  let seed = 42;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
  return {
    surplusCents: 250_000_000,
    plan: { reserveBps: 1_500, cashBps: 3_000, classWeightsBps: { producer: 4_000, worker: 4_000, user: 2_000 } },
    settings: { minimumApplies: true },
    members: Array.from({ length: members }, (_, i) => {
      const memberClass: MemberClass = i % 200 === 0 ? 'producer' : i % 5 === 0 ? 'worker' : i % 97 === 0 ? 'supporting' : 'user';
      const patronageUnits = memberClass === 'producer' ? next() % 50_000_000 : memberClass === 'worker' ? next() % 120_000 : memberClass === 'user' ? next() % 500_000 : 0;
      return {
        // Ids in no particular order, like UUIDs (7 919 is prime, so i → i × 7 919 mod n is one-to-one).
        memberId: `m${String((i * 7_919) % members).padStart(6, '0')}`,
        memberClass,
        patronageUnits,
        carriedInCents: i % 7 === 0 ? next() % 2_500 : 0,
        withholdingApplies: memberClass === 'worker' || memberClass === 'user',
        ytdPaidCents: i % 11 === 0 ? next() % 20_000 : 0,
      };
    }),
  };
}

export function benchPatronage(members = 100_000, runs = 5): PatronageBench {
  const year = benchYear(members);
  allocatePatronage(year); // warm-up (JIT)
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    allocatePatronage(year);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { members, runs, medianMs: times[Math.floor(runs / 2)]!, minMs: times[0]!, maxMs: times[runs - 1]! };
}
