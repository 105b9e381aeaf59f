// One event whose rows cannot be worked out costs only itself: the rest of its batch is counted and
// alerted, it is counted as failed and logged (JSON, with its id), its position and ack advance like
// any other, all in the batch's one transaction. The failing event is made with a throwing getter:
// a stand-in for whatever input a future analysis step might not expect.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_RULES } from '../../src/consumer/alerts/default-rules';
import { createNotifier } from '../../src/consumer/alerts/notifier';
import { startConsumer } from '../../src/consumer/consumer';
import { alertReader } from '../../src/consumer/db/alerts';
import type { Database } from '../../src/consumer/db/database';
import { consumerMetrics } from '../../src/consumer/metrics';
import type { ConsumedEvent } from '../../src/consumer/types';
import { DATABASES, type TestDatabase } from '../helpers/database';
import { dbCounts } from '../helpers/db-counts';
import { ratingEvent, scriptedSource } from '../helpers/consumer';

describe('an event that fails', () => {
  let test: TestDatabase | undefined;
  let db: Database | undefined;
  afterEach(async () => { vi.restoreAllMocks(); await db?.close(); await test?.cleanup(); db = undefined; test = undefined; });

  it('is skipped, counted and logged with its id; the rest of its batch is counted and alerted, positions and acks advance', async () => {
    test = await DATABASES[0]!.create('failedevent');
    db = await test.open();
    const source = scriptedSource();
    const logged: Record<string, unknown>[] = [];
    const consumer = await startConsumer({ source, db, rules: DEFAULT_RULES, notifier: createNotifier({ db }), log: (entry) => logged.push(entry) });

    const bad = ratingEvent('p', 1) as ConsumedEvent;
    Object.defineProperty(bad, 'data', { get() { throw new Error('unexpected input'); } });
    const before = [ratingEvent('p', 1), ratingEvent('p', 4)];
    const after = [ratingEvent('p', 1), ratingEvent('p', 5)];
    const acked: string[] = [];
    const batch = [...before, bad, ...after].map((event, i) => ({ event, position: i + 1, ack: () => { acked.push(event.id); } }));
    await source.push(batch);

    expect(consumer.processed()).toBe(4);
    expect(consumer.failed()).toBe(1);
    expect((await dbCounts(db)).ratings.stars).toEqual({ 1: 2, 4: 1, 5: 1 });
    expect((await alertReader(db).list(10)).map((r) => r.alert.id).sort()).toEqual([before[0]!.id, after[0]!.id].sort());
    expect(consumer.position()).toBe(5);
    const [saved] = await db.query<{ position: number }>("SELECT position FROM fp_positions WHERE source = 'scripted'");
    expect(saved!.position).toBe(5);
    expect(acked).toHaveLength(5);
    expect(logged.filter((entry) => entry.msg === 'event_skipped')).toEqual([
      { level: 'error', msg: 'event_skipped', why: 'unreadable', id: bad.id, type: 'feedback', error: 'unexpected input' },
    ]);
    // …and counted where monitoring looks: the demo server appends these lines to /metrics.
    expect(consumerMetrics(consumer)).toContain('feedpulse_consumer_events_total{outcome="failed"} 1\n');
    expect(consumerMetrics(consumer)).toContain('feedpulse_consumer_events_total{outcome="counted"} 4\n');
    await consumer.stop();
  });

  it('a batch the database refuses is retried event by event: only the refused event is skipped, nothing uncommitted is acked', async () => {
    test = await DATABASES[1]!.create('refused');
    db = await test.open();
    // A stand-in for a row the database will not take: a check no real event breaks but this one.
    await db.exec("ALTER TABLE fp_responses ADD CONSTRAINT fptest_refuse CHECK (path <> '/refused')");
    const source = scriptedSource();
    const logged: Record<string, unknown>[] = [];
    const consumer = await startConsumer({ source, db, rules: DEFAULT_RULES, notifier: createNotifier({ db }), log: (entry) => logged.push(entry) });
    const events = [ratingEvent('p', 4), ratingEvent('p', 3, { path: '/refused' }), ratingEvent('p', 5)];
    const acked: string[] = [];
    await source.push(events.map((event) => ({ event, ack: () => { acked.push(event.id); } })));
    expect(consumer.processed()).toBe(2);
    expect(consumer.failed()).toBe(1);
    expect((await dbCounts(db)).ratings.stars).toEqual({ 4: 1, 5: 1 });
    expect(acked).toHaveLength(3);
    expect(logged.filter((entry) => entry.msg === 'event_skipped').map((entry) => [entry.id, entry.why])).toEqual([[events[1]!.id, 'refused']]);
    await consumer.stop();
  });
});
