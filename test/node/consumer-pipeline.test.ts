// The consumer pipeline with a scripted in-process source (a test source, not a broker stand-in):
// acks happen only once the checkpoint holding the event is on disk, a redelivered id is counted
// once, and one visitor's burst of critical feedback is one alert.
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../src/consumer/alerts/default-rules';
import { createNotifier } from '../../src/consumer/alerts/notifier';
import { openAlertStore, type AlertStore } from '../../src/consumer/alerts/store';
import { startConsumer } from '../../src/consumer/consumer';
import type { ConsumedEvent } from '../../src/consumer/types';
import { feedbackEvent, scriptedSource } from './consumer-fixtures';

describe('consumer pipeline', () => {
  let dir = '';
  let store: AlertStore | undefined;
  afterEach(async () => { await store?.close(); store = undefined; if (dir) await rm(dir, { recursive: true, force: true }); });

  async function setup(sameVisitorMinutes?: number) {
    dir = await mkdtemp(join(tmpdir(), 'fp-pipeline-'));
    store = await openAlertStore(join(dir, 'alerts.jsonl'));
    const source = scriptedSource('amqp');
    const consumer = await startConsumer({
      source, dir, rules: DEFAULT_RULES, alerts: store, notifier: createNotifier({ store }), checkpointEveryMs: 30, sameVisitorMinutes,
    });
    return { source, consumer, checkpointFile: join(dir, 'scripted.checkpoint.json') };
  }

  it('acks a message only after a checkpoint that includes it is on disk, and counts a redelivery once', async () => {
    const { source, consumer, checkpointFile } = await setup();
    const events = [feedbackEvent('p', 4), feedbackEvent('p', 5), feedbackEvent('p', 3)];
    const ackedWith: { id: string; inCheckpoint: boolean }[] = [];
    const deliveries = (list: ConsumedEvent[]) => list.map((event) => ({
      event,
      ack: () => {
        // Synchronous read on purpose: the ack must see the file as it is at this moment.
        const saved = JSON.parse(readFileSync(checkpointFile, 'utf8')) as { seenIds: string[] };
        ackedWith.push({ id: event.id, inCheckpoint: saved.seenIds.includes(event.id) });
      },
    }));
    await source.push(deliveries(events));
    await source.push(deliveries([events[1]])); // the broker redelivers one
    await consumer.checkpoint();
    expect(consumer.processed()).toBe(3);
    expect(consumer.duplicates()).toBe(1);
    expect(consumer.analysis.ratings.stars!.count).toBe(3);
    expect(ackedWith).toHaveLength(4);
    expect(ackedWith.every((a) => a.inCheckpoint)).toBe(true);
    const saved = JSON.parse(await readFile(checkpointFile, 'utf8'));
    expect(saved.processed).toBe(3);
    await consumer.stop();
  });

  it('one visitor, one alert: later critical feedback of the same visitor joins it', async () => {
    const { source, consumer } = await setup(30);
    const t = Date.now() - 3_600_000;
    const angry = (visitor: string, minutes: number, comment: string) => {
      const e = feedbackEvent('p', 1, { comment, ts: t + minutes * 60_000 });
      return { ...e, anonymousId: visitor };
    };
    const burst = [angry('v1', 0, 'broken'), angry('v1', 2, 'still broken'), angry('v1', 5, 'refund now'), angry('v2', 6, 'broken'), angry('v1', 50, 'broken again')];
    await source.push(burst.map((event) => ({ event })));
    const list = store!.list(10).reverse();
    expect(list.map((r) => [r.alert.anonymousId, r.folded])).toEqual([['v1', 2], ['v2', 0], ['v1', 0]]);
    await consumer.stop();
    // A replay into a consumer that lost its checkpoint (same alert log) raises nothing new.
    const again = await startConsumer({
      source: scriptedSource('amqp'), dir: join(dir, 'lost'), rules: DEFAULT_RULES, alerts: store!, notifier: createNotifier({ store: store! }), sameVisitorMinutes: 30,
    });
    await (again.source as ReturnType<typeof scriptedSource>).push(burst.map((event) => ({ event })));
    expect(again.processed()).toBe(5);
    expect(store!.count()).toBe(3);
    expect(store!.list(10).reverse().map((r) => r.folded)).toEqual([2, 0, 0]);
    await again.stop();
  });
});
