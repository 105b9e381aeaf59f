// The simulate button: its traffic goes to its own project (never a real one), its alerts are never
// webhooked, runs have a cooldown and a cap, it uses a write key of its own (valid for its project
// only), a production start can turn it off, and its request body has a timer.
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFeedpulseServer, type FeedpulseServer, type FeedpulseServerOptions } from '../../src/consumer/index';
import { ratingEvent, postEvents, waitFor } from '../helpers/consumer';

const simulate = (s: FeedpulseServer, body: unknown) =>
  fetch(`${s.url}/dashboard/simulate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('dashboard simulate', () => {
  const servers: FeedpulseServer[] = [];
  const dirs: string[] = [];
  let hook: Server | undefined;
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
    if (hook) await new Promise((r) => hook!.close(r));
    hook = undefined;
  });
  const start = async (options: FeedpulseServerOptions = {}, env: NodeJS.ProcessEnv = {}) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-sim-'));
    dirs.push(dataDir);
    const s = await startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir, ...options, collector: { log: false, rateLimit: false, ...options.collector } }, env);
    servers.push(s);
    return s;
  };

  it('writes to its own project, never posts its alerts to the webhook, and has a cooldown', async () => {
    const calls: { text: string }[] = [];
    hook = createServer(async (req, res) => {
      let body = '';
      for await (const c of req) body += c;
      calls.push(JSON.parse(body) as { text: string });
      res.end('ok');
    });
    await new Promise<void>((r) => hook!.listen(0, '127.0.0.1', r));
    const s = await start({ webhookUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook` });
    // Enough visitors for the simulated payment incident to raise alerts.
    expect((await simulate(s, { visitors: 1200, rate: 2000 })).status).toBe(202);
    const again = await simulate(s, { visitors: 10 });
    expect(again.status).toBe(409); // one at a time
    await waitFor(async () => !(await s.view()).simulation.running, 30_000, 'the run to finish');
    expect((await s.view()).simulation.error).toBeUndefined();
    await waitFor(async () => s.consumer!.processed() === (await s.view()).simulation.sent, 20_000, 'every simulated event counted');
    const view = (await s.view());
    expect(view.projects).toEqual(['simulated-shop']);
    expect(view.alertCount).toBeGreaterThan(0);
    expect(view.alerts.every((a) => a.project === 'simulated-shop' && a.delivery === 'off')).toBe(true);
    // After the run: the cooldown, said with Retry-After.
    const cooling = await simulate(s, { visitors: 10 });
    expect(cooling.status).toBe(429);
    expect(Number(cooling.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await cooling.json()).toMatchObject({ error: 'simulate_cooldown', message: expect.stringMatching(/can start in \d+ s/) });
    // A real alert in the same server is webhooked; none of the simulated ones was.
    await postEvents(`${s.url}/v1/events`, [ratingEvent('shop-web', 1, { comment: 'The payment page is broken' })]);
    await waitFor(() => calls.length > 0, 10_000, 'the real alert\'s webhook');
    await s.notifier!.idle();
    expect(calls).toHaveLength(1);
    expect(calls[0].text).toContain('(shop-web)');
  }, 60_000);

  it('refuses a run above its cap (400), and is off with FEEDPULSE_SIMULATE=off (403, button hidden)', async () => {
    const s = await start({}, { FEEDPULSE_SIMULATE: 'off' });
    expect((await simulate(s, { visitors: 20_000 })).status).toBe(400);
    const off = await simulate(s, { visitors: 10 });
    expect(off.status).toBe(403);
    expect(await off.json()).toMatchObject({ error: 'simulate_off', message: expect.stringMatching(/FEEDPULSE_SIMULATE=off/) });
    expect((await s.view()).simulation).toMatchObject({ available: false, running: false });
    expect(s.notes.join('\n')).toMatch(/Simulate +button off/);
  });

  it('with write keys posts with a key of its own, valid for the simulated project only', async () => {
    const s = await start({ collector: { keys: { pk_shop: ['shop-web'] } } });
    expect((await simulate(s, { visitors: 30, rate: 2000 })).status).toBe(202);
    await waitFor(async () => !(await s.view()).simulation.running, 20_000, 'the run to finish');
    expect((await s.view()).simulation.error).toBeUndefined();
    await waitFor(async () => s.consumer!.processed() === (await s.view()).simulation.sent && s.consumer!.processed() > 0, 10_000, 'all counted');
    expect((await s.view()).projects).toEqual(['simulated-shop']);
    // Counted under the simulated project only: the write key's project has no figures.
    expect(await s.db.query('SELECT 1 FROM fp_rollups WHERE project = $1 LIMIT 1', ['shop-web'])).toEqual([]);
    expect((await s.db.query('SELECT 1 FROM fp_rollups WHERE project = $1 LIMIT 1', ['simulated-shop'])).length).toBe(1);
  });

  it('times out a simulate body that never arrives (408), like the collector', async () => {
    const s = await start({ collector: { bodyTimeoutMs: 300 } });
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(s.port, '127.0.0.1', () => {
        socket.write(`POST /dashboard/simulate HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"visi`);
      });
      let text = '';
      socket.on('data', (c) => { text += c; });
      socket.on('close', () => resolve(text));
      setTimeout(() => { socket.destroy(); resolve(text); }, 5000);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain('body_timeout');
    expect((await s.view()).simulation.running).toBe(false);
  });
});
