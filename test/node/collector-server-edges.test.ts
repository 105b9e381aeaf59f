// The demo server's edges: static files stay inside demo/ (symlinks too), pages cannot be framed,
// every answer says nosniff, slow or idle sockets are cut after headersTimeout, and one IP holds at
// most a capped number of connections, refused with a readable 503.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { connect, type Socket } from 'node:net';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFeedpulseServer, type FeedpulseServer } from '../../src/consumer/index';

let base: string;
let server: FeedpulseServer;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'fp-edges-'));
  const root = join(base, 'pkg');
  await mkdir(join(root, 'demo', 'dashboard'), { recursive: true });
  await mkdir(join(root, 'dist'), { recursive: true });
  await mkdir(join(base, 'private'));
  await writeFile(join(root, 'demo', 'index.html'), '<!doctype html><title>shop</title>');
  await writeFile(join(base, 'private', 'secrets.txt'), 'DATABASE_PASSWORD=hunter2');
  await symlink(join(base, 'private', 'secrets.txt'), join(root, 'demo', 'notes.txt'));
  await symlink(join(base, 'private'), join(root, 'demo', 'assets'));
  server = await startFeedpulseServer(
    { port: 0, host: '127.0.0.1', root, dataDir: join(base, 'data'), collector: { log: false, rateLimit: false } },
    { FEEDPULSE_MAX_CONNECTIONS_PER_IP: '4' },
  );
});

afterAll(async () => {
  await server?.close();
  await rm(base, { recursive: true, force: true });
});

/** A raw socket to the server, with what it received and when it closed. */
function open(): Promise<{ socket: Socket; received: () => string; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(server.port, '127.0.0.1');
    let data = '';
    socket.on('data', (d: Buffer) => (data += d.toString()));
    socket.on('error', () => undefined);
    const closed = new Promise<number>((r) => socket.once('close', () => r(Date.now() - started)));
    socket.once('connect', () => resolve({ socket, received: () => data, closed }));
    socket.once('error', reject);
  });
}

// First, before any fetch() leaves pooled keep-alive connections that count against the cap.
describe('demo server: connections', () => {
  it('one IP holds at most the cap; a request over it gets a readable 503; a freed slot is usable again', async () => {
    const held = await Promise.all([open(), open(), open(), open()]);
    const extra = await open();
    extra.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await extra.closed;
    expect(extra.received()).toMatch(/^HTTP\/1\.1 503/);
    expect(extra.received()).toContain('"error":"too_many_connections"');
    expect(extra.received()).toMatch(/retry-after: 5/i);
    held[0]!.socket.destroy();
    await held[0]!.closed;
    await new Promise((r) => setTimeout(r, 50));
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    for (const h of held) h.socket.destroy();
  });

  it('a socket that trickles its headers, or sends nothing, is cut after about 10 s with 408', async () => {
    const slow = await open();
    const idle = await open();
    slow.socket.write('POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const trickle = setInterval(() => slow.socket.write('X'), 1000);
    try {
      const [slowMs, idleMs] = await Promise.all([slow.closed, idle.closed]);
      expect(slowMs).toBeLessThan(15_000);
      expect(idleMs).toBeLessThan(15_000);
      expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(trickle);
    }
  }, 30_000);
});

describe('demo server: files and headers', () => {
  it('refuses symlinks out of demo/ (a file, a folder)', async () => {
    for (const path of ['/notes.txt', '/assets/secrets.txt']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('hunter2');
    }
  });

  it('the shop page cannot be framed cross-site and sets its referrer, form and base policies', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  });

  it('JSON, 404, 405 and the event stream say nosniff', async () => {
    // One after the other: a few pooled connections, under the cap of 4.
    const answers = [];
    for (const [path, init] of [
      ['/healthz', {}], ['/v1/events', { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } }],
      ['/no-such-page', {}], ['/', { method: 'DELETE' }],
    ] as const) {
      const res = await fetch(`${server.url}${path}`, init);
      await res.arrayBuffer();
      answers.push(res);
    }
    expect(answers.map((r) => r.status)).toEqual([200, 400, 404, 405]);
    for (const res of answers) expect(res.headers.get('x-content-type-options'), res.url).toBe('nosniff');
    const stream = new AbortController();
    const sse = await fetch(`${server.url}/dashboard/stream`, { signal: stream.signal });
    expect(sse.headers.get('x-content-type-options')).toBe('nosniff');
    stream.abort();
  });
});
