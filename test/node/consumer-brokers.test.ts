// The worker with the machine's RabbitMQ and NATS JetStream: events flow collector → broker →
// worker → database; a restarted worker picks up what was published while it was down, counts
// nothing twice (a duplicate delivery of a counted id is an fp_seen duplicate) and skips nothing;
// two workers on one queue / durable and one database split the stream, and kill -9 of one of them
// mid-stream leaves the figures equal to what was sent. Each broker is probed first; the tests
// skip, saying why, when it is not running.
// Each project has its own exchange / stream, deleted afterwards (test/helpers/brokers.ts).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nanoid } from 'nanoid';
import { afterAll, describe, expect, it } from 'vitest';
import { createCollector } from '../../src/collector/index';
import { startFeedpulseServer } from '../../src/consumer/index';
import { BROKERS } from '../helpers/brokers';
import { ratingEvent, mixedEvents, postEvents, reachable, waitFor } from '../helpers/consumer';
import { dbCounts, ratingTotal } from '../helpers/db-counts';
import { DATABASES } from '../helpers/database';

for (const broker of BROKERS) {
  const up = await reachable(broker.port);
  describe(`consumer with ${broker.name}`, () => {
    const project = `fpt${nanoid(8).replace(/[^A-Za-z0-9]/g, 'x')}`;
    const dirs: string[] = [];
    afterAll(async () => {
      if (up) await broker.cleanup(project).catch(() => undefined);
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    });

    it.skipIf(!up)(`resumes after a restart without double counting or skipping${up ? '' : ` — skipped: nothing listens on 127.0.0.1:${broker.port}`}`, async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'fp-broker-'));
      dirs.push(dataDir);
      const start = () => startFeedpulseServer({
        port: 0, host: '127.0.0.1', dataDir, broker: broker.url, source: broker.source(project),
        collector: { log: false, rateLimit: false, sinkOptions: broker.sinkOptions(project) },
      }, {});

      // Run 1 through the server's own collector.
      const a = await start();
      const first = [...mixedEvents(project, 30), ratingEvent(project, 1, { comment: 'Totally broken' })];
      expect((await postEvents(`${a.url}/v1/events`, first)).accepted).toBe(31);
      await waitFor(() => a.consumer!.processed() === 31, 15_000, '31 events counted');
      const run1 = await dbCounts(a.db);
      expect(run1.alerts).toBe(1);
      await a.close();

      // While the consumer is down: 20 events through a separate collector, and a duplicate delivery.
      const collectorDir = await mkdtemp(join(tmpdir(), 'fp-broker-collector-'));
      dirs.push(collectorDir);
      const collector = createCollector({ sink: broker.url, sinkOptions: broker.sinkOptions(project), dataDir: collectorDir, log: false, rateLimit: false });
      await collector.ready;
      const http: Server = createServer(collector);
      await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
      const second = mixedEvents(project, 20);
      expect((await postEvents(`http://127.0.0.1:${(http.address() as AddressInfo).port}/v1/events`, second)).accepted).toBe(20);
      await collector.close();
      await new Promise((r) => http.close(r));
      await broker.republish(project, first[5]);

      // Run 2: the counts as they were, then everything published meanwhile, the duplicate skipped.
      const b = await start();
      await waitFor(() => b.consumer!.processed() === 51, 15_000, '51 events counted');
      await waitFor(() => b.consumer!.duplicates() === 1, 5_000, 'the duplicate delivery');
      await new Promise((r) => setTimeout(r, 300));
      const run2 = await dbCounts(b.db);
      expect(run2.events).toBe(51);
      expect(run2.seen).toBe(51);
      expect(run2.alerts).toBe(1);
      expect(ratingTotal(run2)).toBe(ratingTotal(run1) + second.filter((e) => e.type === 'feedback').length);
      await b.close();
    });

    const built = existsSync('dist/consumer.js');
    const why = !up ? ` — skipped: nothing listens on 127.0.0.1:${broker.port}` : !built ? ' — skipped: dist/consumer.js not built (npm run build)' : '';
    it.skipIf(!up || !built)(`after kill -9 of the whole server every event is counted once${why}`, async () => {
      const crashProject = `${project}k`;
      const dataDir = await mkdtemp(join(tmpdir(), 'fp-broker-kill-'));
      dirs.push(dataDir);
      const options = {
        host: '127.0.0.1', dataDir, broker: broker.url, source: broker.source(crashProject),
        collector: { log: false, rateLimit: false as const, sinkOptions: broker.sinkOptions(crashProject) },
      };
      const child = spawn(process.execPath, ['--input-type=module', '-e', `
        const { startFeedpulseServer } = await import(${JSON.stringify(join(process.cwd(), 'dist/consumer.js'))});
        const s = await startFeedpulseServer({ ...${JSON.stringify(options)}, port: 0 }, {});
        process.send(s.url);
      `], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      try {
        const url = await new Promise<string>((resolve, reject) => { child.once('message', (m) => resolve(String(m))); child.once('exit', (c) => reject(new Error(`server exited ${c}`))); });
        const events = [...mixedEvents(crashProject, 59), ratingEvent(crashProject, 1, { comment: 'broken' })];
        expect((await postEvents(`${url}/v1/events`, events)).accepted).toBe(60);
        await waitFor(async () => ((await (await fetch(`${url}/dashboard/view.json`)).json()) as { processed: number }).processed === 60, 15_000, 'the child to count 60');
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));

        const s = await startFeedpulseServer({ ...options, port: 0 }, {});
        try {
          await new Promise((r) => setTimeout(r, 2500)); // a redelivery, if any, would be counted as a duplicate
          expect(s.consumer!.processed()).toBe(60);
          const counts = await dbCounts(s.db);
          expect(counts.events).toBe(60);
          expect(counts.seen).toBe(60);
          expect(counts.alerts).toBe(1);
          expect(ratingTotal(counts)).toBe(events.filter((e) => e.type === 'feedback').length);
        } finally {
          await s.close();
        }
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
        await broker.cleanup(crashProject).catch(() => undefined);
      }
    });

    it.skipIf(!up || !built)(`two workers on one ${broker.name === 'RabbitMQ' ? 'queue' : 'durable consumer'} and one database, one killed -9 mid-stream: figures equal to what was sent, nothing twice${why}`, async () => {
      const sharedProject = `${project}w`;
      const database = await DATABASES[1]!.create('brokerworkers');
      const source = broker.source(sharedProject);
      // A short ack wait, so what the killed worker held unacked comes back within the test.
      const shared = { ...source, ...(source.nats ? { nats: { ...source.nats, ackWaitMs: 3000 } } : {}) };
      const common = {
        host: '127.0.0.1', broker: broker.url, source: shared, database: { url: database.choice.url, schema: database.choice.schema },
        collector: { log: false, rateLimit: false as const, sinkOptions: broker.sinkOptions(sharedProject) },
      };
      // B: collector and worker, in this process. A: a worker only, in a child, killed mid-stream.
      const b = await startFeedpulseServer({ ...common, port: 0, dataDir: await tempDir(dirs, 'worker-b'), roles: ['collector', 'worker'] }, {});
      const childOptions = { ...common, dataDir: await tempDir(dirs, 'worker-a'), roles: ['worker'] };
      const child = spawn(process.execPath, ['--input-type=module', '-e', `
        const { startFeedpulseServer } = await import(${JSON.stringify(join(process.cwd(), 'dist/consumer.js'))});
        const s = await startFeedpulseServer({ ...${JSON.stringify(childOptions)}, port: 0 }, {});
        process.send('ready');
      `], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      try {
        await new Promise<void>((resolve, reject) => { child.once('message', () => resolve()); child.once('exit', (c) => reject(new Error(`worker exited ${c}`))); });
        const events = [...mixedEvents(sharedProject, 590), ...Array.from({ length: 10 }, (_, i) => ({ ...ratingEvent(sharedProject, 1, { comment: 'broken' }), anonymousId: `angry-${i}` }))];
        let sent = 0;
        for (let i = 0; i < events.length; i += 20) {
          sent += (await postEvents(`${b.url}/v1/events`, events.slice(i, i + 20))).accepted;
          await new Promise((r) => setTimeout(r, 15));
          if (i === 300) {
            // Mid-stream, once both have been counting.
            await waitFor(async () => (await dbCounts(b.db)).events >= 150, 15_000, 'the first 150 counted');
            child.kill('SIGKILL');
          }
        }
        expect(sent).toBe(600);
        await waitFor(async () => (await dbCounts(b.db)).events >= 600, 30_000, 'all 600 counted');
        await new Promise((r) => setTimeout(r, 4000)); // past the ack wait: a redelivery would show now
        const counts = await dbCounts(b.db);
        expect(counts.events).toBe(600);
        expect(counts.seen).toBe(600);
        expect(ratingTotal(counts)).toBe(events.filter((e) => e.type === 'feedback').length);
        expect(counts.responses).toBe(ratingTotal(counts));
        expect(counts.clicks).toBe(events.filter((e) => e.type === 'click').length);
        expect(counts.alerts).toBe(10);
        // B counted only part of the stream: A took its share before it was killed.
        expect(b.consumer!.processed()).toBeLessThan(600);
        const [{ n }] = await b.db.query<{ n: number }>('SELECT count(*) AS n FROM fp_positions');
        expect(n).toBe(0); // brokers keep their own position
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
        await b.close();
        await broker.cleanup(sharedProject).catch(() => undefined);
        await database.cleanup();
      }
    }, 90_000);
  });
}

async function tempDir(dirs: string[], what: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `fp-${what}-`));
  dirs.push(dir);
  return dir;
}
