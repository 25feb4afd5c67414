import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { developmentLogStream, readableLine } from './dev-log.js';

const line = (o: object) => `${JSON.stringify({ pid: 1, hostname: 'h', time: Date.UTC(2026, 0, 5, 15, 4, 5), ...o })}\n`;

describe('the development log', () => {
  it('keeps every line in the file as JSON and shows only warnings and errors on the terminal', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tissu-log-')), 'logs', 'api.log');
    const shown: string[] = [];
    const stream = developmentLogStream(file, { write: (s: string) => shown.push(s) });
    const request = line({ level: 30, reqId: 'req-1', req: { method: 'GET', url: '/listings' }, msg: 'incoming request' });
    const done = line({ level: 30, reqId: 'req-1', res: { statusCode: 200 }, responseTime: 3.2, msg: 'request completed' });
    const warning = line({ level: 40, bookingId: 'b-1', msg: 'payment received for a booking that is not awaiting payment' });
    const error = line({ level: 50, msg: 'job failed', err: { message: 'boom', stack: 'Error: boom\n    at x' } });
    for (const l of [request, done, warning, error]) stream.write(l);
    await stream.end();

    expect(readFileSync(file, 'utf8')).toBe(request + done + warning + error);
    expect(shown).toHaveLength(2);
    expect(shown[0]).toMatch(/^\d\d:\d\d:\d\d  WARN   payment received for a booking that is not awaiting payment {2}bookingId=b-1\n$/);
    expect(shown[1]).toContain('ERROR  job failed');
    expect(shown[1]).toContain('\n    Error: boom\n        at x');
    expect(shown.join('')).not.toContain('{"');
  });

  it('reads a request line as a person would', () => {
    expect(readableLine(line({ level: 30, reqId: 'r9', res: { statusCode: 404 }, responseTime: 12.6, msg: 'request completed' }))).toMatch(
      /^\d\d:\d\d:\d\d  INFO   request completed {2}→ 404 in 13 ms {2}\[r9\]\n$/,
    );
    expect(readableLine('not json')).toBe('not json\n');
  });
});
