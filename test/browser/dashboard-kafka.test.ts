// The SDK in real Chromium with `transport: 'kafka-rest'` → the collector's Kafka REST route →
// a real Kafka topic → the dashboard's consumer group → the open dashboard, live. Skips, saying
// why, when Kafka is not reachable (fails instead under FEEDPULSE_REQUIRE_KAFKA=1, as in CI).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFeedpulseServer } from '../../src/consumer/index';
import { hasChromium } from '../helpers/browser';
import { coreBuilt, openClient, startRig } from '../helpers/core';
import { KAFKA_BROKERS, kafkaClient, kafkaName, kafkaUnreachable, readTopic } from '../node/kafka-helpers';

const unreachable = await kafkaUnreachable('dashboard-kafka');
const skip = !hasChromium || !coreBuilt || Boolean(unreachable);

describe.skipIf(skip)('SDK kafka-rest → collector → Kafka → dashboard (Chromium)', () => {
  const topic = kafkaName('t');
  const groupId = kafkaName('g');
  afterAll(async () => {
    const admin = kafkaClient().admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('feedback sent by the SDK over kafka-rest is in the topic once and shows on the dashboard', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-dash-kafka-'));
    const server = await startFeedpulseServer({
      port: 0, host: '127.0.0.1', dataDir, broker: `kafka://${KAFKA_BROKERS.join(',')}?topic=${topic}&partitions=2`,
      source: { kafka: { groupId } }, collector: { log: false, rateLimit: false },
    }, {});
    const rig = await startRig();
    try {
      expect(server.consumer!.source.kind).toBe('kafka');
      const dashboard = await rig.context.newPage();
      await dashboard.goto(`${server.url}/dashboard`);
      await dashboard.locator('#conn-text', { hasText: 'live' }).waitFor();
      const project = kafkaName('p');
      const comment = `Through Kafka ${project}`;
      const page = await openClient(rig, { transport: 'kafka-rest', endpoint: `${server.url}/`, topic, project });
      await page.evaluate((c) => (window as unknown as { fp: { feedback(i: unknown): Promise<void>; flush(): Promise<unknown> } }).fp.feedback({ rating: 5, scale: 'stars', comment: c }), comment);
      await page.evaluate(() => (window as unknown as { fp: { flush(): Promise<unknown> } }).fp.flush());
      await dashboard.locator('#comments li', { hasText: comment }).waitFor({ timeout: 20_000 });
      const messages = await readTopic(topic, 1, { settleMs: 500 });
      const feedback = messages.filter((m) => m.value.type === 'feedback' && m.headers.project === project);
      expect(feedback).toHaveLength(1);
      expect(feedback[0]!.key).toBe(`${project}:${String(feedback[0]!.value.anonymousId)}`);
    } finally {
      await rig.close();
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
