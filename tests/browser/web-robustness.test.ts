import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';

const web = () => inject('webUrl');
const clientDir = path.resolve('web/build/client');

/** Removes a built file and its compressed twins for the length of `during`, then puts them back. */
async function whileMissing(urlPath: string, during: () => Promise<void>) {
  const keep = await mkdtemp(path.join(tmpdir(), 'tissu-vanished-'));
  const files = ['', '.br', '.gz'].map((ext) => path.join(clientDir, urlPath) + ext).filter((f) => existsSync(f));
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) await copyFile(f, path.join(keep, path.basename(f)));
  for (const f of files) await rm(f);
  try {
    await during();
  } finally {
    for (const f of files) await copyFile(path.join(keep, path.basename(f)), f);
  }
}

describe('the web server, when its build changes under it', () => {
  it('answers a vanished /_app asset or static file without dying, and keeps serving pages', async () => {
    const html = await (await fetch(`${web()}/`)).text();
    const asset = /\/_app\/immutable\/[^"']+\.js/.exec(html)?.[0];
    expect(asset).toBeTruthy();

    await whileMissing(asset!, async () => {
      for (const encoding of ['br', 'gzip', 'identity']) {
        const res = await fetch(`${web()}${asset}`, { headers: { 'accept-encoding': encoding } });
        expect(res.status, encoding).toBe(404);
      }
    });
    // A static file outside /_app: the static server still lists it, so this answer may break off,
    // but the process must live on.
    await whileMissing('/favicon.svg', async () => {
      await fetch(`${web()}/favicon.svg`).then((r) => r.arrayBuffer()).catch(() => undefined);
    });

    const after = await fetch(`${web()}/`);
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('<html');
    expect((await fetch(`${web()}${asset}`)).status).toBe(200);
  });
});
