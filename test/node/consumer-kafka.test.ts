// The worker on a real Kafka broker (scripts/kafka.sh), through its consumer group: a restarted
// server picks up what was published while it was down, skips a message that is not an event and
// a second copy of a counted event (an fp_seen duplicate), and counts nothing twice; members of one
// group on one database (PostgreSQL) joining and leaving mid-stream, also while idle, count every
// event once (offsets are committed only after the transaction, a redelivery is a duplicate); after
// kill -9 mid-stream every accepted event is counted exactly once.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin } from 'kafkajs';
import { createCollector } from '../../src/collector/index';
import { startFeedpulseServer } from '../../src/consumer/index';
import { ratingEvent, mixedEvents, postEvents, waitFor } from '../helpers/consumer';
import { dbCounts, ratingTotal } from '../helpers/db-counts';
import { DATABASES, type TestDatabase } from '../helpers/database';
import { KAFKA_BROKERS, kafkaClient, kafkaName, kafkaUnreachable } from './kafka-helpers';

const unreachable = await kafkaUnreachable('consumer-kafka');
const built = existsSync('dist/consumer.js');

describe.skipIf(Boolean(unreachable))('consumer with Apache Kafka (real broker)', () => {
  const topics: string[] = [];
  const groups: string[] = [];
  const dirs: string[] = [];
  let admin: Admin;
  const own = () => {
    const topic = kafkaName('t');
    const groupId = kafkaName('g');
    topics.push(topic);
    groups.push(groupId);
    return { broker: `kafka://${KAFKA_BROKERS.join(',')}?topic=${topic}&partitions=3`, topic, groupId };
  };
  const tempDir = async (what: string) => {
    const dir = await mkdtemp(join(tmpdir(), `fp-kafka-${what}-`));
    dirs.push(dir);
    return dir;
  };
  beforeAll(async () => {
    admin = kafkaClient().admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.deleteGroups(groups).catch(() => undefined);
    await admin?.deleteTopics({ topics }).catch(() => undefined);
    await admin?.disconnect();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('resumes after a restart without double counting or skipping; a non-event and a second copy are skipped', async () => {
    const { broker, topic, groupId } = own();
    const project = kafkaName('p');
    const dataDir = await tempDir('server');
    const start = () => startFeedpulseServer({
      port: 0, host: '127.0.0.1', dataDir, broker, source: { kafka: { groupId } },
      collector: { log: false, rateLimit: false },
    }, {});

    const a = await start();
    const first = [...mixedEvents(project, 30), ratingEvent(project, 1, { comment: 'Totally broken' })];
    expect((await postEvents(`${a.url}/v1/events`, first)).accepted).toBe(31);
    await waitFor(() => a.consumer!.processed() === 31, 20_000, '31 events counted');
    const run1 = await dbCounts(a.db);
    expect(run1.alerts).toBe(1);
    await a.close();

    // While the dashboard is down: 20 events through a separate collector, a second copy of a
    // counted event and a message that is not an event, both straight into the topic.
    const collector = createCollector({ sink: broker, dataDir: await tempDir('collector'), log: false, rateLimit: false });
    await collector.ready;
    const { createServer } = await import('node:http');
    const http = createServer(collector);
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const { port } = http.address() as { port: number };
    const second = mixedEvents(project, 20);
    expect((await postEvents(`http://127.0.0.1:${port}/v1/events`, second.slice(0, 10))).accepted).toBe(10);
    const producer = kafkaClient().producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [
      { key: 'x', value: JSON.stringify({ ...first[5], receivedAt: new Date().toISOString() }) },
      { key: 'x', value: 'not an event' },
    ] });
    await producer.disconnect();
    expect((await postEvents(`http://127.0.0.1:${port}/v1/events`, second.slice(10))).accepted).toBe(10);
    await collector.close();
    await new Promise((r) => http.close(r));

    const b = await start();
    try {
      await waitFor(() => b.consumer!.processed() === 51, 20_000, '51 events counted');
      await waitFor(() => b.consumer!.duplicates() === 1, 5_000, 'the second copy skipped');
      await new Promise((r) => setTimeout(r, 500));
      const run2 = await dbCounts(b.db);
      expect(run2.events).toBe(51);
      expect(run2.seen).toBe(51);
      expect(run2.alerts).toBe(1);
      expect(ratingTotal(run2)).toBe(ratingTotal(run1) + second.filter((e) => e.type === 'feedback').length);
      expect(b.consumer!.source.description).toContain(groupId);
    } finally {
      await b.close();
    }
    // The group committed everything it counted: nothing is left behind for the next start.
    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committed = offsets[0]!.partitions.reduce((n, p) => n + Number(p.offset), 0);
    expect(committed).toBe(53); // 31 + 20 events, the second copy and the non-event
  });

  it('members of one group on one database joining and leaving mid-stream, and while idle, count every event once', async () => {
    const { broker, groupId } = own();
    const project = kafkaName('p');
    const database: TestDatabase = await DATABASES[1]!.create('kafkagroup');
    const start = async (what: string) => startFeedpulseServer({
      port: 0, host: '127.0.0.1', dataDir: await tempDir(what), broker, source: { kafka: { groupId, sessionTimeoutMs: 6000 } },
      database: { url: database.choice.url, schema: database.choice.schema }, collector: { log: false, rateLimit: false },
    }, {});
    const a = await start('member-a');
    const posted = { n: 0 };
    const postSome = async (count: number) => {
      for (const batch of Array.from({ length: count / 10 }, () => mixedEvents(project, 10))) {
        posted.n += (await postEvents(`${a.url}/v1/events`, batch)).accepted;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const allCounted = (what: string) => waitFor(async () => (await dbCounts(a.db)).events >= posted.n, 30_000, what);
    const expectExact = async () => {
      await new Promise((r) => setTimeout(r, 1500));
      const counts = await dbCounts(a.db);
      expect(counts.events).toBe(posted.n);
      expect(counts.seen).toBe(posted.n);
      expect(counts.responses).toBe(ratingTotal(counts));
    };
    try {
      await postSome(100);
      // B joins while events keep coming.
      const [b] = await Promise.all([start('member-b'), postSome(150)]);
      let bCounted = 0;
      b.consumer!.onBatch((batch) => { bCounted += batch.counted; });
      await postSome(100);
      await allCounted(`${posted.n} counted by the two members`);
      await expectExact();
      expect(bCounted).toBeGreaterThan(0); // B did get partitions
      // B leaves mid-stream: its partitions go back to A, from B's commits on.
      await Promise.all([postSome(100), new Promise((r) => setTimeout(r, 100)).then(() => b.close())]);
      await allCounted(`${posted.n} counted after B left`);
      await expectExact();
      // C joins and leaves while nothing comes in; then the stream goes on.
      const c = await start('member-c');
      await new Promise((r) => setTimeout(r, 3000));
      await c.close();
      await postSome(100);
      await allCounted(`${posted.n} counted after C came and went`);
      await expectExact();
      expect(posted.n).toBe(550);
    } finally {
      await a.close();
      await database.cleanup();
    }
  }, 120_000);

  it.skipIf(!built)(`kill -9 mid-stream, then a restart: every accepted event is counted exactly once${built ? '' : ' — skipped: dist/consumer.js not built (npm run build)'}`, async () => {
    const { broker, groupId } = own();
    const project = kafkaName('p');
    const dataDir = await tempDir('kill');
    const options = {
      host: '127.0.0.1', dataDir, broker, source: { kafka: { groupId } },
      collector: { log: false, rateLimit: false as const },
    };
    const child = spawn(process.execPath, ['--input-type=module', '-e', `
      const { startFeedpulseServer } = await import(${JSON.stringify(join(process.cwd(), 'dist/consumer.js'))});
      const s = await startFeedpulseServer({ ...${JSON.stringify(options)}, port: 0 }, {});
      process.send(s.url);
    `], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let accepted = 0;
    try {
      const url = await new Promise<string>((resolve, reject) => { child.once('message', (m) => resolve(String(m))); child.once('exit', (c) => reject(new Error(`server exited ${c}`))); });
      const events = mixedEvents(project, 400);
      const counted = async () => ((await (await fetch(`${url}/dashboard/view.json`)).json()) as { processed: number }).processed;
      let killed = false;
      for (let i = 0; i < events.length && !killed; i += 25) {
        const answer = await postEvents(`${url}/v1/events`, events.slice(i, i + 25)).catch(() => undefined);
        if (answer) accepted += answer.accepted;
        // Mid-stream: once it has counted some and while more keep coming.
        if (accepted >= 150 && (await counted().catch(() => 0)) >= 75) {
          child.kill('SIGKILL');
          killed = true;
        }
      }
      expect(killed).toBe(true);
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(undefined)));

      const s = await startFeedpulseServer({ ...options, port: 0 }, {});
      try {
        await waitFor(() => s.consumer!.processed() === accepted, 20_000, `${accepted} counted`);
        await new Promise((r) => setTimeout(r, 1000));
        const counts = await dbCounts(s.db);
        expect(counts.events).toBe(accepted);
        expect(counts.seen).toBe(accepted);
      } finally {
        await s.close();
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
