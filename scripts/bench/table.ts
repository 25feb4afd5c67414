/** One line of the benchmarks' table; a blank cell is a figure that does not apply. */
export interface Figure {
  scenario: string;
  /**
   * sql: postgres.js straight to the database; api: HTTP to the API process; floor: the same SQL
   * behind bare node:http (search-floor.ts); web: HTTP to the web server; code: in-process calls.
   */
  via: 'sql' | 'api' | 'floor' | 'web' | 'code';
  rps?: number;
  /** For `code` rows, the median. */
  p50: number;
  p95: number;
  p99?: number;
  /** api and floor rows: their req/s over SQL req/s for the same searches. */
  ratio?: number;
  requests?: number;
  failures?: number;
  /** The figure this row must reach (issue 11's table), and whether this run reached it. */
  target?: Target;
}

export interface Target {
  text: string;
  met: boolean;
}

/** A row's target: what it must reach, checked against this run's figures. */
export function target(text: string, met: boolean): Target {
  return { text, met };
}

const fixed = (x: number | undefined, digits: number) => (x === undefined || Number.isNaN(x) ? '' : x.toFixed(digits));

export function figuresTable(figures: Figure[]): string {
  const head = ['scenario', 'via', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'API/SQL', 'requests', 'failed', 'target', 'met'];
  const body = figures.map((f) => [
    f.scenario,
    f.via,
    fixed(f.rps, 0),
    fixed(f.p50, 1),
    fixed(f.p95, 1),
    fixed(f.p99, 1),
    fixed(f.ratio, 2),
    f.requests === undefined ? '' : String(f.requests),
    f.failures === undefined ? '' : String(f.failures),
    f.target?.text ?? '',
    f.target ? (f.target.met ? 'yes' : 'NO') : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  // Text columns (scenario, via, target, met) align left, figures right.
  const left = (i: number) => i < 2 || i >= head.length - 2;
  const line = (cells: string[]) => cells.map((c, i) => (left(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
