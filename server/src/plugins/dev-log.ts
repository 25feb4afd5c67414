import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * `pnpm start` in development: one JSON line per request would bury the address and the demo
 * sign-ins within seconds. Every line goes to a file (JSON, as in production, for `tail -f` or a
 * log viewer); the terminal gets only warnings and errors, one readable line each.
 */

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const WARN = 40;

interface LogLine {
  level?: number;
  time?: number;
  msg?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  err?: { message?: string; stack?: string };
  [key: string]: unknown;
}

/** "14:03:07 WARN  payment received for a booking that is not awaiting payment  bookingId=…" */
export function readableLine(json: string): string {
  let o: LogLine;
  try {
    o = JSON.parse(json) as LogLine;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const { level = 30, time, msg = '', req, res, responseTime, err, pid: _pid, hostname: _host, reqId, ...rest } = o;
  const clock = new Date(time ?? Date.now()).toTimeString().slice(0, 8);
  const parts = [clock, (LEVELS[level] ?? String(level)).padEnd(5), msg];
  if (req?.method) parts.push(`${req.method} ${req.url ?? ''}`);
  if (res?.statusCode) parts.push(`→ ${res.statusCode}${responseTime === undefined ? '' : ` in ${Math.round(responseTime)} ms`}`);
  if (reqId) parts.push(`[${String(reqId)}]`);
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  if (fields.length) parts.push(fields.join(' '));
  let out = parts.filter(Boolean).join('  ');
  if (err?.stack ?? err?.message) out += `\n    ${(err.stack ?? err.message)!.split('\n').join('\n    ')}`;
  return `${out}\n`;
}

/** The pino destination of the development API: the whole log to `file`, warnings and errors also to `terminal`. */
export function developmentLogStream(file: string, terminal: { write(s: string): unknown } = process.stderr) {
  mkdirSync(path.dirname(file), { recursive: true });
  const out = createWriteStream(file, { flags: 'a' });
  return {
    write(line: string) {
      out.write(line);
      const level = Number(/"level":(\d+)/.exec(line)?.[1] ?? 0);
      if (level >= WARN) terminal.write(readableLine(line));
    },
    /** Resolves once every line is on disk. */
    end(): Promise<void> {
      return new Promise((resolve) => out.end(resolve));
    },
  };
}
