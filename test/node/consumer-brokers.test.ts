// The consumer with the machine's RabbitMQ and NATS JetStream: events flow collector → broker →
// consumer; a restarted consumer picks up what was published while it was down, counts nothing
// twice (a duplicate delivery of an already counted id is skipped by the idempotence guard) and
// skips nothing. Each broker is probed first; the tests skip, saying why, when it is not running.
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
import { countsOf, feedbackEvent, mixedEvents, postEvents, reachable, waitFor } from './consumer-fixtures';

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
      const first = [...mixedEvents(project, 30), feedbackEvent(project, 1, { comment: 'Totally broken' })];
      expect((await postEvents(`${a.url}/v1/events`, first)).accepted).toBe(31);
      await waitFor(() => a.consumer!.processed() === 31, 15_000, '31 events counted');
      const run1 = countsOf(a.view());
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

      // Run 2: restored counts, then everything published meanwhile, the duplicate skipped.
      const b = await start();
      await waitFor(() => b.consumer!.processed() === 51, 15_000, '51 events counted');
      await waitFor(() => b.consumer!.duplicates() === 1, 5_000, 'the duplicate delivery');
      await new Promise((r) => setTimeout(r, 300));
      const run2 = countsOf(b.view());
      expect(run2.processed).toBe(51);
      expect(run2.volume).toBe(51);
      expect(run2.alerts).toBe(1);
      expect(run2.ratings.reduce((s, r) => s + r.count, 0)).toBe(
        run1.ratings.reduce((s, r) => s + r.count, 0) + second.filter((e) => e.type === 'feedback').length);
      await b.close();
    });

    const built = existsSync('dist/consumer.js');
    const why = !up ? ` — skipped: nothing listens on 127.0.0.1:${broker.port}` : !built ? ' — skipped: dist/consumer.js not built (npm run build)' : '';
    it.skipIf(!up || !built)(`after kill -9 before any checkpoint, the broker redelivers and every event is counted once${why}`, async () => {
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
        const events = [...mixedEvents(crashProject, 59), feedbackEvent(crashProject, 1, { comment: 'broken' })];
        expect((await postEvents(`${url}/v1/events`, events)).accepted).toBe(60);
        await waitFor(async () => ((await (await fetch(`${url}/dashboard/view.json`)).json()) as { processed: number }).processed === 60, 15_000, 'the child to count 60');
        child.kill('SIGKILL'); // counted, not checkpointed, not acked
        await new Promise((r) => child.once('exit', r));
        expect(existsSync(join(dataDir, 'consumer', `${broker.sourceId(crashProject)}.checkpoint.json`))).toBe(false);

        const s = await startFeedpulseServer({ ...options, port: 0 }, {});
        try {
          await waitFor(() => s.consumer!.processed() === 60, 20_000, 'redelivery of the 60 unacked events');
          await new Promise((r) => setTimeout(r, 2500)); // past the NATS ack wait: nothing more may come
          const counts = countsOf(s.view());
          expect(counts.processed).toBe(60);
          expect(counts.volume).toBe(60);
          expect(counts.alerts).toBe(1); // raised before the crash, remembered in the alert log
          expect(counts.ratings.reduce((n, r) => n + r.count, 0)).toBe(events.filter((e) => e.type === 'feedback').length);
        } finally {
          await s.close();
        }
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
        await broker.cleanup(crashProject).catch(() => undefined);
      }
    });
  });
}
