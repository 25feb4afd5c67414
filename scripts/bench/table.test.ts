import { describe, expect, it } from 'vitest';
import { figuresTable, target } from './table.js';

describe("the benchmarks' table", () => {
  it('prints each row’s target and whether this run met it; rows without one leave both blank', () => {
    const table = figuresTable([
      { scenario: 'listing page server render, one at a time', via: 'web', rps: 45, p50: 20.3, p95: 32.9, target: target('p50 <= 30 ms', 20.3 <= 30) },
      { scenario: 'slots', via: 'code', p50: 29, p95: 31, target: target('p50 <= 5 ms', 29 <= 5) },
      { scenario: 'bare Fastify route (the ceiling here)', via: 'api', rps: 22_000, p50: 0.4, p95: 0.9 },
    ]).split('\n');
    expect(table[0]).toMatch(/failed\s+target\s+met$/);
    expect(table[2]).toMatch(/p50 <= 30 ms\s+yes$/);
    expect(table[3]).toMatch(/p50 <= 5 ms\s+NO$/);
    expect(table[4]).toMatch(/0\.9$/);
  });
});
