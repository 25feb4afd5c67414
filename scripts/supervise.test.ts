import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { describeDeath, superviseParts, type Death } from './supervise.js';

const node = (code: string) => spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
const exited = (child: ReturnType<typeof node>) => new Promise((r) => child.once('exit', r));

describe('superviseParts', () => {
  it('says which part died and how, once', async () => {
    const web = node('setTimeout(() => process.exit(3), 50)');
    const other = node('setTimeout(() => {}, 2000)');
    const deaths: Death[] = [];
    superviseParts({ web, other }, (d) => deaths.push(d));
    await exited(web);
    other.kill('SIGKILL');
    await exited(other);
    expect(deaths).toEqual([{ part: 'web', code: 3, signal: null }]);
    expect(describeDeath(deaths[0]!)).toBe('The web server stopped (exit code 3).');
  });

  it('reports a part killed by a signal', async () => {
    const web = node('setTimeout(() => {}, 5000)');
    const deaths: Death[] = [];
    superviseParts({ web }, (d) => deaths.push(d));
    web.kill('SIGKILL');
    await exited(web);
    expect(deaths.map(describeDeath)).toEqual(['The web server stopped (signal SIGKILL).']);
  });

  it('says nothing about a part stopped on purpose', async () => {
    const web = node('setTimeout(() => {}, 5000)');
    const deaths: Death[] = [];
    const watch = superviseParts({ web }, (d) => deaths.push(d));
    watch.release();
    web.kill('SIGTERM');
    await exited(web);
    expect(deaths).toEqual([]);
  });
});
