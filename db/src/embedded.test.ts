import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from './embedded.js';

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
