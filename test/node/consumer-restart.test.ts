// The consumer resumes from its checkpoint: a clean restart leaves every count unchanged, new
// events add on top, and a crash that lost the last checkpoint replays from the older one without
// counting anything twice or raising an alert again. Embedded log sink, server in-process.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFeedpulseServer, type FeedpulseServer } from '../../src/consumer/index';
import { countsOf, feedbackEvent, mixedEvents, postEvents, waitFor } from './consumer-fixtures';

const start = (dataDir: string) => startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir, collector: { log: false, rateLimit: false } }, {});

describe('consumer restart (embedded log)', () => {
  const servers: FeedpulseServer[] = [];
  let dataDir = '';
  afterAll(async () => {
    for (const s of servers) await s.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('resumes from its checkpoint with counts unchanged, never double counting', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fp-restart-'));
    const checkpoint = join(dataDir, 'consumer', 'embedded.checkpoint.json');

    // Run 1: 60 events, one of them alert-worthy.
    const a = await start(dataDir);
    servers.push(a);
    const first = [...mixedEvents('shop', 59), feedbackEvent('shop', 1, { comment: 'Checkout is broken' })];
    expect((await postEvents(`${a.url}/v1/events`, first)).accepted).toBe(60);
    await waitFor(() => a.consumer!.processed() === 60, 10_000, '60 events counted');
    const afterRun1 = countsOf(a.view());
    expect(afterRun1.alerts).toBe(1);
    await a.close();
    await copyFile(checkpoint, `${checkpoint}.run1`);

    // Run 2: the same counts right after start; then 40 more add on top.
    const b = await start(dataDir);
    servers.push(b);
    expect(countsOf(b.view())).toEqual(afterRun1);
    await new Promise((r) => setTimeout(r, 300));
    expect(b.consumer!.processed()).toBe(60);
    const second = [...mixedEvents('shop', 39), feedbackEvent('shop', 1, { comment: 'Refund please' })];
    await postEvents(`${b.url}/v1/events`, second);
    await waitFor(() => b.consumer!.processed() === 100, 10_000, '100 events counted');
    const afterRun2 = countsOf(b.view());
    expect(afterRun2.alerts).toBe(2);
    expect(afterRun2.volume).toBe(100);
    expect(afterRun2.ratings.reduce((s, r) => s + r.count, 0)).toBe(afterRun1.ratings.reduce((s, r) => s + r.count, 0) + second.filter((e) => e.type === 'feedback').length);
    await b.close();

    // Run 3: as if run 2 crashed before its last checkpoint: the old one comes back. The consumer
    // replays the 40 newer records from the log and ends with exactly run 2's counts and alerts.
    await copyFile(`${checkpoint}.run1`, checkpoint);
    const c = await start(dataDir);
    servers.push(c);
    await waitFor(() => c.consumer!.processed() === 100, 10_000, 'replay to 100');
    await new Promise((r) => setTimeout(r, 300));
    expect(countsOf(c.view())).toEqual(afterRun2);
    expect(c.alerts.count()).toBe(2);
  });

  const built = existsSync('dist/consumer.js');
  it.skipIf(!built)(`after kill -9 of the whole server it counts every accepted event exactly once${built ? '' : ' — skipped: dist/consumer.js not built (npm run build)'}`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fp-kill-'));
    const child = spawn(process.execPath, ['--input-type=module', '-e', `
      const { startFeedpulseServer } = await import(${JSON.stringify(join(process.cwd(), 'dist/consumer.js'))});
      const s = await startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir: ${JSON.stringify(dir)}, collector: { log: false, rateLimit: false }, alertsKeep: 10 }, {});
      process.send(s.url);
    `], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const alertLines = async () => (await readFile(join(dir, 'consumer', 'alerts.jsonl'), 'utf8').catch(() => '')).split('\n').filter((l) => l.includes('"kind":"alert"')).length;
    try {
      const url = await new Promise<string>((resolve, reject) => { child.once('message', (m) => resolve(String(m))); child.once('exit', (c) => reject(new Error(`server exited ${c}`))); });
      // 30 alerts (one per visitor) against a bound of 10: the log drops old ones as checkpoints cover them.
      const angry = Array.from({ length: 30 }, (_, i) => ({ ...feedbackEvent('shop', 1, { comment: 'broken' }), anonymousId: `v${i}` }));
      const events = mixedEvents('shop', 270).flatMap((e, i) => (i % 9 === 0 ? [e, angry[i / 9]!] : [e]));
      for (let i = 0; i < events.length; i += 50) expect((await postEvents(`${url}/v1/events`, events.slice(i, i + 50))).accepted).toBe(Math.min(50, events.length - i));
      await waitFor(async () => ((await (await fetch(`${url}/dashboard/view.json`)).json()) as { processed: number }).processed === 300, 10_000, 'the child to count 300');
      // The child's checkpoint released the old alerts and the log was compacted (keep 10, plus at most 8 before the next compaction).
      await waitFor(async () => (await alertLines()) <= 18, 10_000, 'the alert log to be compacted');
      child.kill('SIGKILL'); // no graceful close: the last checkpoint may be up to a second old
      await new Promise((r) => child.once('exit', r));

      const s = await start(dir);
      servers.push(s);
      await waitFor(() => s.consumer!.processed() === 300, 10_000, 'replay to 300');
      await new Promise((r) => setTimeout(r, 300));
      const counts = countsOf(s.view());
      expect(counts.processed).toBe(300);
      expect(counts.volume).toBe(300);
      expect(counts.alerts).toBe(30);
      expect(await alertLines()).toBeLessThanOrEqual(18);
      expect(counts.ratings.reduce((n, r) => n + r.count, 0)).toBe(events.filter((e) => e.type === 'feedback').length);
      expect(counts.clicks.reduce((n, c) => n + c.count, 0)).toBe(events.filter((e) => e.type === 'click').length);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
