// The demo server's plumbing: what it serves where, and that a start that fails (port taken)
// releases everything so the same data folder can be used again at once.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFeedpulseServer } from '../../src/consumer/index';
import { ratingEvent, postEvents, waitFor } from '../helpers/consumer';

describe('demo server', () => {
  const dirs: string[] = [];
  afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

  it('serves the shop, the bundle, the collector and the dashboard; nothing outside demo/', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-server-'));
    dirs.push(dataDir);
    const s = await startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir, collector: { log: false } }, {});
    try {
      const get = (path: string) => fetch(`${s.url}${path}`);
      const shop = await get('/');
      expect(shop.status).toBe(200);
      expect(shop.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await shop.text()).toBe(await readFile('demo/index.html', 'utf8'));
      expect((await get('/healthz')).status).toBe(200);
      const metrics = await get('/metrics');
      expect(metrics.status).toBe(200);
      // The consumer's counters follow the collector's.
      expect(await metrics.text()).toMatch(/feedpulse_events_accepted_total[\s\S]*feedpulse_consumer_events_total\{outcome="failed"\} 0\n/);
      expect((await get('/dashboard')).headers.get('content-type')).toContain('text/html');
      expect((await get('/dashboard/assets/app.js')).headers.get('content-type')).toContain('javascript');
      expect((await get('/dashboard/assets/nope.js')).status).toBe(404);
      expect((await get('/%2e%2e/package.json')).status).toBe(404);
      expect((await get('/..%2fpackage.json')).status).toBe(404);
      expect((await get('/dashboard/assets/..%2f..%2fpackage.json')).status).toBe(404);
      expect((await fetch(`${s.url}/dashboard/simulate`, { method: 'POST', body: '{}' })).status).toBe(415);
      expect((await fetch(`${s.url}/`, { method: 'DELETE' })).status).toBe(405);
      const view = (await (await get('/dashboard/view.json')).json()) as { processed: number; source: string };
      expect(view.processed).toBe(0);
      expect(view.source).toContain('embedded log');
    } finally {
      await s.close();
    }
  });

  const withServer = async (fn: (s: Awaited<ReturnType<typeof startFeedpulseServer>>) => Promise<void>) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-server-'));
    dirs.push(dataDir);
    const s = await startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir, collector: { log: false, rateLimit: false } }, {});
    try {
      await fn(s);
    } finally {
      await s.close();
    }
  };

  it('takes the dashboard token as an Authorization Bearer header in any case of "Bearer" (RFC 9110 §11.1)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-server-'));
    dirs.push(dataDir);
    const s = await startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir, dashboardToken: 's3cret', collector: { log: false, rateLimit: false } }, {});
    try {
      const status = async (authorization?: string) =>
        (await fetch(`${s.url}/dashboard/view.json`, { headers: authorization ? { authorization } : {} })).status;
      // Before: 'bearer s3cret' (curl users, many HTTP clients) got 401 like a wrong token.
      for (const ok of ['Bearer s3cret', 'bearer s3cret', 'BEARER s3cret', 'Bearer   s3cret']) expect(await status(ok), ok).toBe(200);
      for (const bad of [undefined, 'Bearer wrong', 'bearer', 'Basic czNjcmV0', 'Bearers3cret']) expect(await status(bad), String(bad)).toBe(401);
    } finally {
      await s.close();
    }
  });

  it('routes the collector\'s Kafka REST produce route (both prefixes) to the collector', () => withServer(async (s) => {
    // Kafka REST v2 produce, as the SDK's kafka-rest transport posts it, at both prefixes the collector answers.
    const event = (id: string) => ({ id, type: 'track', ts: new Date().toISOString(), project: 'shop-web', anonymousId: 'a1', sessionId: 's1', page: { url: 'https://shop.example/', path: '/' }, data: { name: 'kafka' } });
    for (const [path, id] of [['/topics/feedpulse', 'kafkaRoute_0001'], ['/v1/events/topics/feedpulse', 'kafkaRoute_0002']] as const) {
      const res = await fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/vnd.kafka.json.v2+json' }, body: JSON.stringify({ records: [{ key: 'a1', value: event(id) }] }) });
      expect(res.status, path).toBe(200);
      expect(((await res.json()) as { offsets: { error_code: unknown }[] }).offsets).toEqual([expect.objectContaining({ error_code: null })]);
    }
    expect((await fetch(`${s.url}/topics/feedpulse`, { method: 'OPTIONS', headers: { origin: 'https://shop.example' } })).status).toBe(204);
    await waitFor(() => s.consumer!.processed() === 2, 10_000, 'the two kafka-rest events to be consumed');
  }));

  it('POST /dashboard/simulate refuses out-of-range or non-integer values with 400 naming the field', () => withServer(async (s) => {
    // Simulate: out of range or not a whole number → 400 naming the field and range; nothing starts.
    const simulate = (body: unknown) => fetch(`${s.url}/dashboard/simulate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    for (const [body, field] of [[{ visitors: -1 }, 'visitors'], [{ visitors: 'many' }, 'visitors'], [{ visitors: 1e9 }, 'visitors'], [{ visitors: 2.5 }, 'visitors'], [{ visitors: 10, rate: 0 }, 'rate'], [{ rate: null }, 'rate']] as const) {
      const res = await simulate(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const answer = (await res.json()) as { error: string; field: string; min: number; max: number };
      expect(answer.field).toBe(field);
      expect(answer.error).toBe(`${field} must be a whole number from ${answer.min} to ${answer.max}`);
    }
    expect((await s.view()).simulation.running).toBe(false);
    expect((await s.view()).simulation.startedAt).toBeUndefined();
  }));

  it('dashboard endpoints answer 400 invalid_project for __proto__, constructor, prototype', () => withServer(async (s) => {
    // Project names the collector refuses get 400 invalid_project, like other invalid names.
    for (const name of ['__proto__', 'constructor', 'prototype', 'a b']) {
      for (const path of ['/dashboard/view.json', '/dashboard/stream']) {
        const res = await fetch(`${s.url}${path}?project=${encodeURIComponent(name)}`);
        expect(res.status, `${path} ${name}`).toBe(400);
        expect(await res.json()).toEqual({ error: 'invalid_project' });
      }
    }
    expect((await fetch(`${s.url}/dashboard/view.json?project=shop-web`)).status).toBe(200);
  }));

  it('a malformed setting stops the start with one message naming it, and leaves nothing open', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-server-'));
    dirs.push(dataDir);
    const start = (env: Record<string, string>, options = {}) => startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir, collector: { log: false }, ...options }, env);
    await expect(start({ FEEDPULSE_KEYS: 'garbage' })).rejects.toThrow(/^FEEDPULSE_KEYS: entry 1 of 1 has no ":"/);
    await expect(start({ FEEDPULSE_KEYS: 'k1:' })).rejects.toThrow(/FEEDPULSE_KEYS: entry 1 of 1 \(key "k1"\) has no project/);
    await expect(start({ FEEDPULSE_RATE_LIMIT: '-5' })).rejects.toThrow(/FEEDPULSE_RATE_LIMIT: "-5"/);
    await expect(start({ FEEDPULSE_ORIGINS: 'shop.example' })).rejects.toThrow(/FEEDPULSE_ORIGINS: "shop.example" is not an origin/);
    await expect(start({ FEEDPULSE_WEBHOOK_URL: 'notaurl' })).rejects.toThrow('FEEDPULSE_WEBHOOK_URL: not a URL; expected http:// or https://');
    await expect(start({ FEEDPULSE_WEBHOOK_URL: 'ftp://x' })).rejects.toThrow('FEEDPULSE_WEBHOOK_URL: a ftp: URL; expected http:// or https://');
    await expect(start({}, { webhookUrl: 'hooks.slack.com/services/T0/B0/secret' })).rejects.toThrow(/^webhookUrl: not a URL/);
    await expect(start({ PORT: 'abc' }, { port: undefined })).rejects.toThrow('PORT: "abc" is not a port number (0–65535)');
    // The env parameter governs the collector: its key table is the one given here.
    const s = await start({ FEEDPULSE_KEYS: 'pk_1:shop-web', FEEDPULSE_WEBHOOK_URL: 'https://hooks.example/x' });
    try {
      expect((await fetch(`${s.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"v":1,"events":[]}' })).status).toBe(401);
      expect(s.notifier!.enabled).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('a webhook only for fresh feedback: replayed two-day-old feedback shows its alert, stale, without a call', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-server-'));
    dirs.push(dataDir);
    const calls: string[] = [];
    const hook = createServer(async (req, res) => {
      let body = '';
      for await (const c of req) body += c;
      calls.push(body);
      res.end('ok');
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const s = await startFeedpulseServer({
      port: 0, host: '127.0.0.1', dataDir, collector: { log: false },
      webhookUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/slack`,
    }, {});
    try {
      const old = ratingEvent('shop-web', 1, { comment: 'broken two days ago', ts: Date.now() - 2 * 86_400_000 });
      const fresh = ratingEvent('shop-web', 1, { comment: 'broken just now' });
      expect(await postEvents(`${s.url}/v1/events`, [old, fresh])).toMatchObject({ accepted: 2 });
      const deliveries = async () => {
        const view = await (await fetch(`${s.url}/dashboard/view.json`)).json() as { alerts: { id: string; delivery: string }[] };
        return Object.fromEntries(view.alerts.map((a) => [a.id, a.delivery]));
      };
      let seen: Record<string, string> = {};
      await waitFor(async () => (seen = await deliveries())[fresh.id] === 'delivered', 10_000, 'the fresh alert delivered');
      await s.notifier!.idle();
      expect(seen).toEqual({ [old.id]: 'stale', [fresh.id]: 'delivered' });
      expect(calls).toHaveLength(1);
      expect(calls[0]).toContain('broken just now');
    } finally {
      await s.close();
      await new Promise((r) => hook.close(r));
    }
  });

  it('the simulate button works when the collector requires write keys', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-server-'));
    dirs.push(dataDir);
    const s = await startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir, collector: { log: false, rateLimit: false, keys: { 'pk_test_1': 'blog', 'pk_test_2': ['shop-web'] } } }, {});
    try {
      const res = await fetch(`${s.url}/dashboard/simulate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ visitors: 30, rate: 2000 }) });
      expect(res.status).toBe(202);
      await waitFor(async () => !(await s.view()).simulation.running && (await s.view()).simulation.sent > 0, 20_000, 'the simulation to finish');
      expect((await s.view()).simulation.error).toBeUndefined();
      await waitFor(async () => s.consumer!.processed() === (await s.view()).simulation.sent, 10_000, 'all simulated events counted');
      // Without a key the collector refuses, so the events above went in with the simulation's own key (for simulated-shop only).
      expect((await fetch(`${s.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"v":1,"sentAt":"2026-11-25T10:00:00.000Z","events":[]}' })).status).toBe(401);
    } finally {
      await s.close();
    }
  });

  it('a failed start (port taken) releases the data folder for the next start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-server-'));
    dirs.push(dataDir);
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as AddressInfo).port;
    await expect(startFeedpulseServer({ port, host: '127.0.0.1', dataDir, collector: { log: false } }, {})).rejects.toThrow(/EADDRINUSE/);
    await new Promise((r) => blocker.close(r));
    const s = await startFeedpulseServer({ port, host: '127.0.0.1', dataDir, collector: { log: false } }, {});
    expect(s.port).toBe(port);
    await s.close();
  });

  it('a data folder that cannot be written stops the start with a message naming FEEDPULSE_DATA', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fp-server-'));
    dirs.push(dir);
    const file = join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    const failed = startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir: file, collector: { log: false } }, {});
    await expect(failed).rejects.toThrow(/data folder .*not-a-folder \(FEEDPULSE_DATA\) is not a writable folder \((ENOTDIR|EEXIST)\)/);
    // No system code: `feedpulse` exits 2 (a bad setting, not restarted) rather than 1.
    expect(await failed.catch((err: { code?: unknown }) => err.code)).toBeUndefined();
    const below = startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir: join(file, 'data'), collector: { log: false } }, {});
    await expect(below).rejects.toThrow(/not-a-folder\/data \(FEEDPULSE_DATA\) is not a writable folder \((ENOTDIR|EEXIST)\)/);
    expect(await below.catch((err: { code?: unknown }) => err.code)).toBeUndefined();
  });

  it('an IPv6 HOST gives usable URLs, and the simulate button reaches the collector through it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-server-'));
    dirs.push(dataDir);
    let s;
    try {
      s = await startFeedpulseServer({ port: 0, host: '::1', dataDir, collector: { log: false, rateLimit: false } }, {});
    } catch (err) {
      // No IPv6 loopback on this machine: nothing to check.
      if ((err as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL') { console.log('consumer-server: skipped the IPv6 check — no ::1 here'); return; }
      throw err;
    }
    try {
      expect(s.url).toBe(`http://[::1]:${s.port}`);
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
      const started = await fetch(`${s.url}/dashboard/simulate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"visitors":3,"rate":500}' });
      expect(started.status).toBe(202);
      await waitFor(async () => !(await s.view()).simulation.running, 20_000, 'the simulation to finish');
      expect((await s.view()).simulation.error).toBeUndefined();
      await waitFor(async () => s.consumer!.processed() > 0 && s.consumer!.processed() === (await s.view()).simulation.sent, 10_000, 'the simulated events to be counted');
    } finally {
      await s.close();
    }
  });
});
