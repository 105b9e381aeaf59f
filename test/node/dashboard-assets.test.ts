// The dashboard's assets are served by real path: a symlink in its folder that leads out of it is
// refused like one in the demo shop's folder, and the real assets are still served.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFeedpulseServer, type FeedpulseServer } from '../../src/consumer/index';

const repo = resolve(__dirname, '../..');
let base = '';
let server: FeedpulseServer;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'fp-dash-assets-'));
  const root = join(base, 'pkg');
  await cp(join(repo, 'demo'), join(root, 'demo'), { recursive: true });
  await symlink(join(repo, 'dist'), join(root, 'dist'));
  await writeFile(join(base, 'secret.txt'), 'not for the web');
  await symlink(join(base, 'secret.txt'), join(root, 'demo', 'dashboard', 'leak.css'));
  server = await startFeedpulseServer({ port: 0, host: '127.0.0.1', root, dataDir: join(base, 'data'), collector: { log: false, rateLimit: false } }, {});
});

afterAll(async () => {
  await server?.close();
  if (base) await rm(base, { recursive: true, force: true });
});

describe('dashboard assets', () => {
  it('refuses a symlink that leads out of the assets folder', async () => {
    const res = await fetch(`${server.url}/dashboard/assets/leak.css`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('not for the web');
  });

  it('still serves the real assets', async () => {
    const res = await fetch(`${server.url}/dashboard/assets/app.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
  });
});
