// Static files are served from inside their folder only: a symlink that leads out of it (to a file
// or a folder) is refused, one that stays inside is followed.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sendFileInside } from '../../src/consumer/static';

let base: string;
let server: Server;
let origin: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'fp-static-'));
  const root = join(base, 'demo');
  const outside = join(base, 'secret');
  await mkdir(join(root, 'sub'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(root, 'index.html'), '<h1>shop</h1>');
  await writeFile(join(root, 'sub', 'page.txt'), 'inside');
  await writeFile(join(outside, 'passwd.txt'), 'root:x:0:0');
  await symlink(join(outside, 'passwd.txt'), join(root, 'leak.txt'));
  await symlink(outside, join(root, 'out'));
  await symlink(join(root, 'sub', 'page.txt'), join(root, 'alias.txt'));
  server = createServer((req, res) => {
    void sendFileInside(res, root, new URL(req.url ?? '/', 'http://x').pathname).then((sent) => {
      if (!sent) res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await rm(base, { recursive: true, force: true });
});

describe('static files', () => {
  it('serves files inside the folder, with nosniff', async () => {
    const res = await fetch(`${origin}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('<h1>shop</h1>');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await (await fetch(`${origin}/sub/page.txt`)).text()).toBe('inside');
  });

  it('refuses a symlink to a file outside the folder', async () => {
    const res = await fetch(`${origin}/leak.txt`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('root:x');
  });

  it('refuses a file below a symlinked folder that leads outside', async () => {
    expect((await fetch(`${origin}/out/passwd.txt`)).status).toBe(404);
  });

  it('follows a symlink that stays inside the folder', async () => {
    expect(await (await fetch(`${origin}/alias.txt`)).text()).toBe('inside');
  });

  it('still refuses .. and dotfiles', async () => {
    expect((await fetch(`${origin}/%2e%2e/secret/passwd.txt`)).status).toBe(404);
    expect((await fetch(`${origin}/.env`)).status).toBe(404);
  });
});
