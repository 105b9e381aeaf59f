// The worker resumes from the database: a clean restart leaves every count unchanged (no replay),
// new events add on top, and a replay of the whole log (a lost position) counts nothing twice and
// raises no alert again. Embedded log sink, embedded database, server in-process.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFeedpulseServer, type FeedpulseServer } from '../../src/consumer/index';
import { ratingEvent, mixedEvents, postEvents, waitFor } from '../helpers/consumer';
import { dbCounts, ratingTotal } from '../helpers/db-counts';
import { openDatabase } from '../../src/consumer/db/open';

const start = (dataDir: string) => startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir, collector: { log: false, rateLimit: false } }, {});

describe('consumer restart (embedded log)', () => {
  const servers: FeedpulseServer[] = [];
  let dataDir = '';
  afterAll(async () => {
    for (const s of servers) await s.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('resumes from the database with counts unchanged, never double counting', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fp-restart-'));

    // Run 1: 60 events, one of them alert-worthy.
    const a = await start(dataDir);
    servers.push(a);
    const first = [...mixedEvents('shop', 59), ratingEvent('shop', 1, { comment: 'Checkout is broken' })];
    expect((await postEvents(`${a.url}/v1/events`, first)).accepted).toBe(60);
    await waitFor(() => a.consumer!.processed() === 60, 10_000, '60 events counted');
    const afterRun1 = await dbCounts(a.db);
    expect(afterRun1.alerts).toBe(1);
    expect(afterRun1.events).toBe(60);
    await a.close();

    // Run 2: the same counts right after start, nothing replayed; then 40 more add on top.
    const b = await start(dataDir);
    servers.push(b);
    expect(await dbCounts(b.db)).toEqual(afterRun1);
    await new Promise((r) => setTimeout(r, 300));
    expect(b.consumer!.processed()).toBe(60);
    expect(b.consumer!.duplicates()).toBe(0);
    const second = [...mixedEvents('shop', 39), ratingEvent('shop', 1, { comment: 'Refund please' })];
    await postEvents(`${b.url}/v1/events`, second);
    await waitFor(() => b.consumer!.processed() === 100, 10_000, '100 events counted');
    const afterRun2 = await dbCounts(b.db);
    expect(afterRun2.alerts).toBe(2);
    expect(afterRun2.events).toBe(100);
    expect(ratingTotal(afterRun2)).toBe(ratingTotal(afterRun1) + second.filter((e) => e.type === 'feedback').length);
    await b.close();

    // Run 3: as if the position were lost: the whole log is read again, every event a duplicate.
    const db = await openDatabase({ dataDir: join(dataDir, 'db') });
    await db.query('DELETE FROM fp_positions');
    await db.close();
    const c = await start(dataDir);
    servers.push(c);
    await waitFor(() => c.consumer!.duplicates() === 100, 10_000, 'replay of 100 duplicates');
    expect(await dbCounts(c.db)).toEqual(afterRun2);
    expect(c.consumer!.processed()).toBe(100);
  });

  const built = existsSync('dist/consumer.js');
  it.skipIf(!built)(`after kill -9 of the whole server it counts every accepted event exactly once${built ? '' : ' — skipped: dist/consumer.js not built (npm run build)'}`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fp-kill-'));
    const child = spawn(process.execPath, ['--input-type=module', '-e', `
      const { startFeedpulseServer } = await import(${JSON.stringify(join(process.cwd(), 'dist/consumer.js'))});
      const s = await startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir: ${JSON.stringify(dir)}, collector: { log: false, rateLimit: false }, alertsKeep: 10 }, {});
      process.send(s.url);
    `], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    try {
      const url = await new Promise<string>((resolve, reject) => { child.once('message', (m) => resolve(String(m))); child.once('exit', (c) => reject(new Error(`server exited ${c}`))); });
      // 30 alerts (one per visitor) against a bound of 10: the oldest are dropped (counted).
      const angry = Array.from({ length: 30 }, (_, i) => ({ ...ratingEvent('shop', 1, { comment: 'broken' }), anonymousId: `v${i}` }));
      const events = mixedEvents('shop', 270).flatMap((e, i) => (i % 9 === 0 ? [e, angry[i / 9]!] : [e]));
      for (let i = 0; i < events.length; i += 50) expect((await postEvents(`${url}/v1/events`, events.slice(i, i + 50))).accepted).toBe(Math.min(50, events.length - i));
      await waitFor(async () => ((await (await fetch(`${url}/dashboard/view.json`)).json()) as { processed: number }).processed === 300, 10_000, 'the child to count 300');
      child.kill('SIGKILL'); // no graceful close
      await new Promise((r) => child.once('exit', r));

      const s = await start(dir);
      servers.push(s);
      await new Promise((r) => setTimeout(r, 500));
      expect(s.consumer!.processed()).toBe(300);
      const counts = await dbCounts(s.db);
      expect(counts.events).toBe(300);
      expect(counts.seen).toBe(300);
      expect(counts.alerts).toBe(30);
      const [{ n }] = await s.db.query<{ n: number }>('SELECT count(*) AS n FROM fp_alerts');
      expect(n).toBeLessThanOrEqual(18); // keep 10, plus at most a quarter (8) before the next trim
      expect(ratingTotal(counts)).toBe(events.filter((e) => e.type === 'feedback').length);
      expect(counts.clicks).toBe(events.filter((e) => e.type === 'click').length);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
