// The worker with a scripted in-process source (a test source, not a broker stand-in), on both
// databases: a message is acked only once the transaction holding its event is committed, a
// redelivered id is counted once (also by another worker, also much later), and one visitor's burst
// of critical feedback is one alert, also when two workers take the burst's events at once.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../src/consumer/alerts/default-rules';
import { createNotifier } from '../../src/consumer/alerts/notifier';
import { startConsumer, type Consumer } from '../../src/consumer/consumer';
import { alertReader } from '../../src/consumer/db/alerts';
import type { Database } from '../../src/consumer/db/database';
import type { ConsumedEvent } from '../../src/consumer/types';
import { DATABASES, type TestDatabase } from '../helpers/database';
import { dbCounts } from '../helpers/db-counts';
import { ratingEvent, scriptedSource } from '../helpers/consumer';

describe.each(DATABASES)('worker pipeline ($name)', (kind) => {
  let test: TestDatabase | undefined;
  const open: Database[] = [];
  const consumers: Consumer[] = [];
  afterEach(async () => {
    for (const c of consumers.splice(0)) await c.stop();
    for (const db of open.splice(0)) await db.close();
    await test?.cleanup();
    test = undefined;
  });

  async function worker(db: Database, sameVisitorMinutes?: number) {
    const source = scriptedSource('amqp');
    const consumer = await startConsumer({ source, db, rules: DEFAULT_RULES, notifier: createNotifier({ db }), sameVisitorMinutes });
    consumers.push(consumer);
    return { source, consumer };
  }
  async function database(): Promise<Database> {
    test ??= await kind.create('pipeline');
    const db = await test.open();
    open.push(db);
    return db;
  }

  it('acks a message only after the transaction with its event committed, and counts a redelivery once', async () => {
    const db = await database();
    const { source, consumer } = await worker(db);
    const events = [ratingEvent('p', 4), ratingEvent('p', 5), ratingEvent('p', 3)];
    const checks: Promise<boolean>[] = [];
    const deliveries = (list: ConsumedEvent[]) => list.map((event) => ({
      event,
      // Asked at the moment of the ack, on another connection (PostgreSQL): committed rows only.
      ack: () => { checks.push(db.query('SELECT 1 FROM fp_seen WHERE id = $1', [event.id]).then((rows) => rows.length === 1)); },
    }));
    await source.push(deliveries(events));
    await source.push(deliveries([events[1]!])); // the broker redelivers one
    expect(consumer.processed()).toBe(3);
    expect(consumer.duplicates()).toBe(1);
    expect(await Promise.all(checks)).toEqual([true, true, true, true]);
    expect((await dbCounts(db)).ratings.stars).toEqual({ 3: 1, 4: 1, 5: 1 });
  });

  it('one visitor, one alert: later critical feedback of the same visitor joins it; a replay raises nothing new', async () => {
    const db = await database();
    const { source } = await worker(db, 30);
    const t = Date.now() - 3_600_000;
    const angry = (visitor: string, minutes: number, comment: string) => ({ ...ratingEvent('p', 1, { comment, ts: t + minutes * 60_000 }), anonymousId: visitor });
    const burst = [angry('v1', 0, 'broken'), angry('v1', 2, 'still broken'), angry('v1', 5, 'refund now'), angry('v2', 6, 'broken'), angry('v1', 50, 'broken again')];
    await source.push(burst.map((event) => ({ event })));
    const reader = alertReader(db);
    expect((await reader.list(10)).reverse().map((r) => [r.alert.anonymousId, r.folded])).toEqual([['v1', 2], ['v2', 0], ['v1', 0]]);
    // A second worker that gets the same events again (a redelivery) counts and raises nothing.
    const other = await worker(db, 30);
    await other.source.push(burst.map((event) => ({ event })));
    expect(other.consumer.duplicates()).toBe(5);
    expect(await reader.count()).toBe(3);
    expect((await reader.list(10)).reverse().map((r) => r.folded)).toEqual([2, 0, 0]);
  });

  it('two workers taking one visitor\'s burst at the same moment file one alert, the rest folded into it', async () => {
    const db = await database();
    // The embedded database is one connection in one process: both workers share it there.
    const second = kind.name === 'embedded' ? db : await test!.open();
    if (second !== db) open.push(second);
    const a = await worker(db, 30);
    const b = await worker(second, 30);
    const t = Date.now() - 600_000;
    const visitors = ['w1', 'w2', 'w3', 'w4'];
    // Each visitor's events alternate between the workers, in batches sent at once.
    const burst = Array.from({ length: 40 }, (_, i) => ({ ...ratingEvent('p', 1, { comment: 'broken', ts: t + i * 1000 }), anonymousId: visitors[i % 4]! }));
    const forA = burst.filter((_, i) => i % 8 < 4);
    const forB = burst.filter((_, i) => i % 8 >= 4);
    await Promise.all([
      ...[0, 5, 10, 15].map((i) => a.source.push(forA.slice(i, i + 5).map((event) => ({ event })))),
      ...[0, 5, 10, 15].map((i) => b.source.push(forB.slice(i, i + 5).map((event) => ({ event })))),
    ]);
    const reader = alertReader(db);
    const list = await reader.list(100);
    expect(list.map((r) => r.alert.anonymousId).sort()).toEqual(visitors);
    expect(list.reduce((n, r) => n + r.folded, 0)).toBe(36);
    expect((await dbCounts(db)).ratings.stars).toEqual({ 1: 40 });
  });
});
