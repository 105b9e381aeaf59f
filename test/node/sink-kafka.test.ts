// Kafka sink against a real broker (scripts/kafka.sh): 1,000 events posted over HTTP are each in
// this run's topic once, with key <project>:<anonymousId>, headers id/type/project and the stored
// event as value; the resend is answered as duplicates and not published again. The Kafka REST
// route publishes to the topic it names (404 for a topic Kafka does not have). With the broker
// stopped mid-load the answers are 503 with Retry-After and no 200 is for an event missing from
// Kafka; once the broker is back the same collector accepts again.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Admin } from 'kafkajs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector, post } from '../helpers/collector';
import { batchOf, feedbackEvent, trackEvent } from '../helpers/events';
import { waitFor } from '../helpers/wait';
import { KAFKA_BROKERS, kafkaClient, kafkaUnreachable, kafkaName, createTopic, readTopic, startOwnBroker, type OwnBroker } from './kafka-helpers.js';
import type { FeedpulseEvent } from '../../src/core/types.js';

const unreachable = await kafkaUnreachable('sink-kafka');
const project = kafkaName('p');
const topics: string[] = [];
const dirs: string[] = [];
let admin: Admin;

const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fp-kafka-'));
  dirs.push(dir);
  return dir;
};
const ownTopic = () => {
  const topic = kafkaName('t');
  topics.push(topic);
  return topic;
};
const sinkUrl = (topic: string, brokers = KAFKA_BROKERS) => `kafka://${brokers.join(',')}?topic=${topic}&partitions=3&clientId=fp-k-test`;

describe.skipIf(Boolean(unreachable))('Kafka sink (real broker)', () => {
  beforeAll(async () => {
    admin = kafkaClient().admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.deleteTopics({ topics }).catch(() => undefined);
    await admin?.disconnect();
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('publishes 1,000 events once each, keyed by project:anonymousId with id/type/project headers; the resend is duplicates', async () => {
    const topic = ownTopic();
    const c = await startCollector({ sink: sinkUrl(topic), dataDir: await tempDir() });
    try {
      expect((await fetch(`${c.origin}/healthz`)).status).toBe(200);
      const events: FeedpulseEvent[] = Array.from({ length: 1000 }, (_, i) =>
        i % 2 ? feedbackEvent(project, { anonymousId: `anon-${i % 7}` }) : { ...trackEvent(project), anonymousId: `anon-${i % 7}` });
      const batches = Array.from({ length: 20 }, (_, i) => events.slice(i * 50, i * 50 + 50));
      const answers = await Promise.all(batches.map((b) => post(c.url, batchOf(b))));
      expect(answers.map((a) => a.status)).toEqual(batches.map(() => 200));
      expect(answers.reduce((n, a) => n + (a.json.accepted as number), 0)).toBe(1000);
      // The collector created the topic with the partitions asked for.
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(meta.topics[0]!.partitions).toHaveLength(3);

      // The resend: every event is a duplicate, nothing more is published.
      const again = await Promise.all(batches.map((b) => post(c.url, batchOf(b))));
      expect(again.map((a) => a.json)).toEqual(batches.map((b) => ({ accepted: 0, duplicates: b.length, rejected: [] })));

      const messages = await readTopic(topic, 1000, { settleMs: 1500 });
      expect(messages).toHaveLength(1000);
      const byId = new Map(messages.map((m) => [m.headers.id, m]));
      expect(byId.size).toBe(1000);
      const partitionOfKey = new Map<string, number>();
      for (const event of events) {
        const m = byId.get(event.id)!;
        expect(m.key).toBe(`${project}:${event.anonymousId}`);
        expect(m.headers).toEqual({ id: event.id, type: event.type, project });
        expect(m.value).toMatchObject({ id: event.id, type: event.type, project, anonymousId: event.anonymousId });
        expect(typeof m.value.receivedAt).toBe('string');
        // One visitor's events stay on one partition.
        expect(partitionOfKey.get(m.key) ?? m.partition).toBe(m.partition);
        partitionOfKey.set(m.key, m.partition);
      }
      const metrics = await (await fetch(`${c.origin}/metrics`)).text();
      expect(metrics).toMatch(/kafka/);
    } finally {
      await c.stop();
    }
  });

  it('the Kafka REST route publishes to the topic it names, and answers 404 for a topic Kafka does not have', async () => {
    const configured = ownTopic();
    const named = ownTopic();
    await createTopic(admin, named, 1);
    const c = await startCollector({ sink: sinkUrl(configured), dataDir: await tempDir() });
    try {
      const event = feedbackEvent(project);
      const res = await post(`${c.origin}/topics/${named}`, JSON.stringify({ records: [{ key: event.anonymousId, value: event }] }), { 'content-type': 'application/vnd.kafka.json.v2+json' });
      expect(res.status).toBe(200);
      expect((res.json.offsets as unknown[]).length).toBe(1);
      const [message] = await readTopic(named, 1, { settleMs: 300 });
      expect(message!.headers.id).toBe(event.id);
      expect(message!.key).toBe(`${project}:${event.anonymousId}`);

      const missing = kafkaName('missing');
      const unknown = await post(`${c.origin}/topics/${missing}`, JSON.stringify({ records: [{ value: feedbackEvent(project) }] }));
      expect(unknown.status).toBe(404);
      expect(unknown.json).toMatchObject({ error: 'unknown_topic', error_code: 40403 });
      expect((await admin.listTopics()).includes(missing)).toBe(false);
    } finally {
      await c.stop();
    }
  });

  it('answers 503 while nothing listens at the address, and /healthz says sink_down', async () => {
    const c = await startCollector({ sink: 'kafka://127.0.0.1:1', dataDir: await tempDir(), sinkTimeoutMs: 3000 });
    try {
      const res = await post(c.url, batchOf([feedbackEvent(project)]));
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      const health = await fetch(`${c.origin}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: 'sink_down', sink: 'kafka' });
    } finally {
      const started = Date.now();
      await c.stop();
      expect(Date.now() - started).toBeLessThan(8000); // close() is bounded
    }
  });

  describe('with a broker of its own, stopped mid-load', () => {
    let own: OwnBroker;
    beforeAll(async () => { own = await startOwnBroker(); }, 120_000);
    afterAll(async () => { await own?.remove(); }, 60_000);

    it('answers 503 (never 200 for an event not in Kafka) while it is down and recovers without a restart', async () => {
      const topic = kafkaName('outage');
      const c = await startCollector({ sink: sinkUrl(topic, own.brokers), dataDir: await tempDir(), sinkTimeoutMs: 4000 });
      const answered200 = new Set<string>();
      const statuses: number[] = [];
      let loading = true;
      const load = (async () => {
        while (loading) {
          const batch = [feedbackEvent(project), trackEvent(project)];
          const res = await post(c.url, batchOf(batch)).catch(() => ({ status: 0, headers: new Headers(), json: {} }));
          statuses.push(res.status);
          if (res.status === 200) batch.forEach((e) => answered200.add(e.id));
          else expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      try {
        await waitFor(() => answered200.size >= 20, 20_000);
        await own.stop();
        await waitFor(() => statuses.slice(-3).every((s) => s === 503) && statuses.length > 3, 20_000);
        expect((await fetch(`${c.origin}/healthz`)).status).toBe(503);
        await own.start();
        const before = statuses.length;
        await waitFor(() => statuses.slice(before).includes(200), 60_000, 'a 200 after the broker is back', 200);
        loading = false;
        await load;
        expect(statuses).toContain(503);
        const messages = await readTopic(topic, answered200.size, { brokers: own.brokers, settleMs: 500 });
        const inKafka = new Set(messages.map((m) => m.headers.id));
        expect([...answered200].filter((id) => !inKafka.has(id))).toEqual([]);
      } finally {
        loading = false;
        await load;
        await c.stop();
      }
    }, 180_000);
  });
});
