import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { letOthersRead, startEmbeddedPostgres } from './embedded.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('embedded PostgreSQL data folder', () => {
  it('made by another major version: says what to do instead of failing without a word', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'tissu-pg-'));
    dirs.push(root);
    const dataDir = path.join(root, 'pg');
    await mkdir(dataDir);
    await writeFile(path.join(dataDir, 'PG_VERSION'), '9\n');
    await expect(startEmbeddedPostgres({ dataDir, port: 1, persistent: true })).rejects.toThrow(
      new RegExp(`${dataDir} was made by PostgreSQL 9; this checkout runs PostgreSQL \\d+\\. Move the folder aside \\(mv ${dataDir} ${dataDir}-pg9\\)`),
    );
  });
});

describe('the folder holding the data folder', () => {
  it('is opened to others without losing its other bits (a data folder under /tmp left /tmp 0755)', async () => {
    const shared = await mkdtemp(path.join(tmpdir(), 'tissu-sticky-'));
    dirs.push(shared);
    await chmod(shared, 0o1777);
    await letOthersRead(shared);
    expect((await stat(shared)).mode & 0o7777).toBe(0o1777);
    const closed = await mkdtemp(path.join(tmpdir(), 'tissu-closed-'));
    dirs.push(closed);
    await chmod(closed, 0o700);
    await letOthersRead(closed);
    expect((await stat(closed)).mode & 0o7777).toBe(0o705);
  });
});

/** The process group of a process (field 5 of /proc/<pid>/stat, after the command in parentheses). */
async function groupOf(pid: number): Promise<number> {
  const line = await readFile(`/proc/${pid}/stat`, 'utf8');
  return Number(line.slice(line.lastIndexOf(')') + 2).split(' ')[2]);
}

describe('the embedded server’s process', () => {
  it.runIf(process.platform === 'linux')('runs in a process group of its own: Ctrl+C in the terminal no longer cuts its connections before the API has stopped its job queue', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'tissu-group-'));
    dirs.push(root);
    const pg = await startEmbeddedPostgres({ dataDir: path.join(root, 'pg'), port: 15_000 + (process.pid % 5_000), persistent: false });
    try {
      const pid = pg.pid!;
      expect(pid).toBeGreaterThan(0);
      expect(await groupOf(pid)).toBe(pid);
      expect(await groupOf(pid)).not.toBe(await groupOf(process.pid));
    } finally {
      await pg.stop();
    }
  }, 60_000);
});
