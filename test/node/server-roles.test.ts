// FEEDPULSE_ROLES: a collector + dashboard process and a worker-only process on one database
// (PostgreSQL) and one embedded log. The worker counts what the collector stored and files its
// alert; the dashboard consumes nothing and sees the alert through the database's change
// notifications; the worker-only process serves no dashboard. Unknown roles stop the start.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startFeedpulseServer, type FeedpulseServer } from '../../src/consumer/index';
import { parseRoles } from '../../src/consumer/roles';
import { handleProcessHealth } from '../../src/consumer/process-health';
import { DATABASES, type TestDatabase } from '../helpers/database';
import { dbCounts } from '../helpers/db-counts';
import { ratingEvent, mixedEvents, postEvents, waitFor } from '../helpers/consumer';

describe('roles', () => {
  const servers: FeedpulseServer[] = [];
  let database: TestDatabase | undefined;
  let dataDir = '';
  afterAll(async () => {
    for (const s of servers.reverse()) await s.close();
    await database?.cleanup();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('reads a comma list; unset is all three; an unknown role is named', () => {
    expect(parseRoles(undefined)).toEqual(['collector', 'worker', 'dashboard']);
    expect(parseRoles(' Worker , collector')).toEqual(['collector', 'worker']);
    expect(() => parseRoles('worker,dashbord')).toThrow(/FEEDPULSE_ROLES: unknown role "dashbord"/);
  });

  it('a dashboard without a worker sees what a worker-only process counted; the worker serves no dashboard', async () => {
    database = await DATABASES[1]!.create('roles');
    dataDir = await mkdtemp(join(tmpdir(), 'fp-roles-'));
    const common = { host: '127.0.0.1', port: 0, dataDir, collector: { log: false as const, rateLimit: false as const }, database: { url: database.choice.url, schema: database.choice.schema } };
    const front = await startFeedpulseServer(common, { FEEDPULSE_ROLES: 'collector,dashboard' });
    servers.push(front);
    const worker = await startFeedpulseServer(common, { FEEDPULSE_ROLES: 'worker' });
    servers.push(worker);
    expect(front.consumer).toBeUndefined();
    expect(worker.collector).toBeUndefined();
    const events = [...mixedEvents('shop', 29), ratingEvent('shop', 1, { comment: 'broken' })];
    expect((await postEvents(`${front.url}/v1/events`, events)).accepted).toBe(30);
    await waitFor(async () => (await dbCounts(front.db)).events === 30, 10_000, 'the worker to count 30');
    // Its own count follows the commit (after the alert copy is read again).
    await waitFor(() => worker.consumer!.processed() === 30, 5_000, 'the worker\'s own count');
    await waitFor(async () => ((await (await fetch(`${front.url}/dashboard/view.json`)).json()) as { alertCount: number }).alertCount === 1, 10_000, 'the alert on the dashboard');
    expect((await fetch(`${worker.url}/dashboard/view.json`)).status).toBe(404);
    expect((await fetch(`${worker.url}/v1/events`, { method: 'POST' })).status).toBe(405);
    // A worker answers its own health check and metrics: its database, its counts.
    const health = await fetch(`${worker.url}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok', roles: ['worker'] }]);
    expect(await (await fetch(`${worker.url}/metrics`)).text()).toContain('feedpulse_consumer_events_total{outcome="counted"} 30');
  });

  it('a process without the collector answers 503 on /healthz once its database does not answer', async () => {
    const db = await DATABASES[0]!.create('roles-down');
    const opened = await db.open();
    const server = createServer((req, res) => {
      void handleProcessHealth(req, res, new URL(req.url ?? '/', 'http://x').pathname, '', { roles: ['dashboard'], db: opened, timeoutMs: 500 })
        .then((answered) => { if (!answered) res.writeHead(404).end(); });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/metrics`)).status).toBe(404); // no worker here: nothing counted to report
      await opened.close();
      const down = await fetch(`${url}/healthz`);
      expect([down.status, await down.json()]).toEqual([503, { status: 'database_down', roles: ['dashboard'] }]);
    } finally {
      server.close();
      await db.cleanup();
    }
  });
});
