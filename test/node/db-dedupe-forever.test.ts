// The dedupe has no window: a retry that comes 100,000 events after its first delivery (a broker's
// redelivery, a retry that reached another collector) is a duplicate, on both databases. The
// consumer's old in-memory guard forgot ids after 20,000.
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, type TestDatabase } from '../helpers/database';
import type { Database } from '../../src/consumer/db/database';
import { writeBatch } from '../../src/consumer/db/write';
import type { ConsumedEvent } from '../../src/consumer/types';

const at = Date.parse('2026-12-01T10:00:00Z');
const pageview = (n: number): ConsumedEvent => ({
  id: `pv-${n}`, type: 'pageview', project: 'shop', anonymousId: `anon-${n % 1000}`, sessionId: 's', ts: new Date(at + n).toISOString(),
  page: { url: 'https://shop.example/', path: '/' }, data: {},
} as ConsumedEvent);
const rating: ConsumedEvent = {
  id: 'the-retried-rating', type: 'feedback', project: 'shop', anonymousId: 'anon-r', sessionId: 's', ts: new Date(at).toISOString(),
  page: { url: 'https://shop.example/cart', path: '/cart' }, data: { scale: 'stars', rating: 2 },
} as ConsumedEvent;

describe.each(DATABASES)('dedupe without a window ($name)', (kind) => {
  let test: TestDatabase | undefined;
  let db: Database | undefined;
  afterEach(async () => { await db?.close(); await test?.cleanup(); db = undefined; test = undefined; });

  it('a retry 100,000 events later is counted once', { timeout: 180_000 }, async () => {
    test = await kind.create('forever');
    db = await test.open();
    expect((await db.transaction((tx) => writeBatch(tx, [rating]))).counted).toHaveLength(1);
    const between = 100_000;
    const batch = 5_000;
    for (let start = 0; start < between; start += batch) {
      const events = Array.from({ length: batch }, (_, i) => pageview(start + i));
      await db.transaction((tx) => writeBatch(tx, events));
    }
    const again = await db.transaction((tx) => writeBatch(tx, [rating]));
    expect(again).toMatchObject({ counted: [], duplicates: 1 });
    const [{ ratings }] = await db.query<{ ratings: number }>(
      "SELECT sum(count) AS ratings FROM fp_rollups WHERE project = '' AND grain = 'day' AND metric = 'rating:stars'",
    );
    const [{ seen }] = await db.query<{ seen: number }>('SELECT count(*) AS seen FROM fp_seen');
    expect({ ratings, seen }).toEqual({ ratings: 1, seen: between + 1 });
  });
});
