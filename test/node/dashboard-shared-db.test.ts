// Two dashboards (two servers, each with its own collector and consumer) on one PostgreSQL schema:
// events counted by either show on the open streams of both, both show identical figures, and a
// stream keeps updating after the server kills the LISTEN connection (it is opened again).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customAlphabet } from 'nanoid';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { listenApplication } from '../../src/consumer/db/postgres';
import { startFeedpulseServer, type DashboardView, type FeedpulseServer } from '../../src/consumer/index';
import { POSTGRES_URL } from '../helpers/database';
import { ratingEvent, postEvents, waitFor } from '../helpers/consumer';

const schema = `fptest_figures_shared_${customAlphabet('abcdefghijklmnopqrstuvwxyz0123456789', 8)()}`;

/** The newest view frame of an open /dashboard/stream. */
async function openStream(url: string) {
  const res = await fetch(`${url}/dashboard/stream`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const stream = { latest: undefined as DashboardView | undefined, frames: 0, close: () => reader.cancel() };
  let buffer = '';
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame.split('\n').find((line) => line.startsWith('data: '));
        if (frame.includes('event: view') && data) { stream.latest = JSON.parse(data.slice(6)) as DashboardView; stream.frames++; }
      }
    }
  })();
  return stream;
}

/**
 * What two dashboards must agree on (not their time, rate, source or simulation button; the alerts
 * too once they are in the database — until db-worker lands each process keeps its own).
 */
const figures = (v: DashboardView) => {
  const { generatedAt: _g, rate: _r, source: _s, simulation: _m, failed: _f, alerts: _a, alertCount: _c, ...rest } = v;
  return rest;
};

describe('two dashboards on one PostgreSQL schema', () => {
  const servers: FeedpulseServer[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try { await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); } finally { await client.end(); }
  });
  const start = async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-shared-db-'));
    dirs.push(dataDir);
    const s = await startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir, collector: { log: false, rateLimit: false }, database: { url: POSTGRES_URL, schema } }, {});
    servers.push(s);
    return s;
  };

  it('updates every open stream from either worker, identically, also after the LISTEN connection is killed', async () => {
    const [a, b] = [await start(), await start()];
    const onA = await openStream(a.url);
    const onB = await openStream(b.url);
    await waitFor(() => onA.frames > 0 && onB.frames > 0, 10_000, 'the first frames');

    await postEvents(`${a.url}/v1/events`, [ratingEvent('shop', 5, { comment: 'Lovely' }), ratingEvent('shop', 2)]);
    await postEvents(`${b.url}/v1/events`, [ratingEvent('blog', 1, { comment: 'Broken page' })]);
    await waitFor(() => onA.latest?.processed === 3 && onB.latest?.processed === 3, 10_000, 'both streams to show all 3 events');
    const [viewA, viewB] = [await a.view(), await b.view()];
    expect(figures(viewA)).toEqual(figures(viewB));
    expect(viewA.projects).toEqual(['blog', 'shop']);
    expect(viewA.ratings.find((r) => r.scale === 'stars')).toMatchObject({ count: 3, average: 8 / 3 });

    // The server drops both listening connections (a failover, an idle-connection killer).
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    try {
      const killed = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND query LIKE $2', [listenApplication(schema), 'LISTEN%']);
      expect(killed.rowCount).toBe(2);
      await waitFor(async () => (await admin.query('SELECT 1 FROM pg_stat_activity WHERE application_name = $1', [listenApplication(schema)])).rowCount === 2, 10_000, 'both to listen again');
    } finally {
      await admin.end();
    }
    await postEvents(`${a.url}/v1/events`, [ratingEvent('shop', 4)]);
    await waitFor(() => onA.latest?.processed === 4 && onB.latest?.processed === 4, 10_000, 'both streams to update after the reconnect');
    expect(figures(onA.latest!)).toEqual(figures(onB.latest!));
    await onA.close();
    await onB.close();
  });
});
