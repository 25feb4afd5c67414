/** Load generation and latency summaries shared by the benchmarks. */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

export interface Measured {
  requests: number;
  /** Failed requests: errors, timeouts and answers other than 2xx. */
  failures: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** The first failure, to say why. */
  firstFailure?: string;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const median = (xs: number[]) => percentile(Float64Array.from(xs).sort(), 50);

export function summarize(latencies: number[], failures: number, elapsedMs: number, firstFailure?: string): Measured {
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length + failures,
    failures,
    rps: (latencies.length / elapsedMs) * 1000,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    firstFailure,
  };
}

/** `connections` loops send requests back to back until the time is up (a closed loop, as autocannon). */
export async function closedLoop(seconds: number, connections: number, request: (i: number) => Promise<unknown>): Promise<Measured> {
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let next = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await request(next++);
          latencies.push(performance.now() - t0);
        } catch (e) {
          failures += 1;
          firstFailure ??= e instanceof Error ? e.message : String(e);
        }
      }
    }),
  );
  return summarize(latencies, failures, performance.now() - start, firstFailure);
}

/**
 * `runs` requests one after the other (after `warmUp` unmeasured ones): each latency is the
 * request alone. `send` answers the HTTP status; 400 and above count as failures.
 */
export async function oneAtATime(runs: number, warmUp: number, what: string, send: () => Promise<number>): Promise<Measured> {
  const times: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  for (let i = 0; i < runs + warmUp; i++) {
    const t0 = performance.now();
    const status = await send();
    if (i < warmUp) continue;
    if (status >= 400) {
      failures++;
      firstFailure ??= `${what}: ${status}`;
    } else times.push(performance.now() - t0);
  }
  return summarize(times, failures, performance.now() - started, firstFailure);
}

export type HttpRequest = autocannon.Request;

/** autocannon against `base` on loopback; latencies of 2xx answers only, every other answer a failure. */
export async function httpLoad(base: string, requests: HttpRequest[], seconds: number, connections: number): Promise<Measured> {
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  const onResponse = (status: number, body: string) => {
    if (status >= 300) firstFailure ??= `${status} ${body.slice(0, 300)}`;
  };
  const start = performance.now();
  const tracker = autocannon({ url: base, connections, duration: seconds, requests: requests.map((r) => ({ ...r, onResponse })) });
  // The tracker's 'response' event carries the client first (autocannon 8; its typings lag).
  (tracker as unknown as NodeJS.EventEmitter).on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latencies.push(ms);
    else failures += 1;
  });
  const result = await tracker;
  return summarize(latencies, failures + result.errors + result.timeouts, performance.now() - start, firstFailure);
}

export const loadAverage = () => `${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`;
