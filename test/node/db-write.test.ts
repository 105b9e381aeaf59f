// Writing batches into the analysis database, on both databases: an id counts once however often
// and in whatever batch it comes again; the counters, inbox rows and labels hold exactly the new
// events; hostile text (NUL, lone surrogates, prototype names, SQL) is stored as data.
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, type TestDatabase } from '../helpers/database';
import type { Database } from '../../src/consumer/db/database';
import { writeBatch } from '../../src/consumer/db/write';
import type { ConsumedEvent } from '../../src/consumer/types';

let n = 0;
const at = Date.parse('2026-12-01T10:00:00Z');
function feedback(project: string, rating: number, comment?: string, extra: Partial<ConsumedEvent> = {}): ConsumedEvent {
  n++;
  return {
    id: `evt-${n}`, type: 'feedback', project, anonymousId: `anon-${n % 3}`, sessionId: 's1', ts: new Date(at + n * 1000).toISOString(),
    page: { url: 'https://shop.example/cart', path: '/cart' }, data: { scale: 'stars', rating, ...(comment ? { comment } : {}) }, ...extra,
  } as ConsumedEvent;
}
const click = (project: string, selector: string, text: string): ConsumedEvent => ({
  id: `evt-${++n}`, type: 'click', project, anonymousId: 'anon-c', sessionId: 's1', ts: new Date(at).toISOString(),
  page: { url: 'https://shop.example/', path: '/' }, data: { selector, text },
} as ConsumedEvent);

describe.each(DATABASES)('writing batches ($name)', (kind) => {
  let test: TestDatabase | undefined;
  let db: Database | undefined;
  afterEach(async () => { await db?.close(); await test?.cleanup(); db = undefined; test = undefined; });

  const ratingCounts = async (project: string) => Object.fromEntries((await db!.query<{ key: string; count: number }>(
    "SELECT key, sum(count) AS count FROM fp_rollups WHERE project = $1 AND metric = 'rating:stars' AND grain = 'day' GROUP BY key ORDER BY key", [project],
  )).map((r) => [r.key, r.count]));

  it('counts each id once, within a batch, across batches and after many other events', async () => {
    test = await kind.create('dbwrite');
    db = await test.open();
    const first = [feedback('shop', 5), feedback('shop', 1, 'refund please, broken'), feedback('shop', 4)];
    const written = await db.transaction((tx) => writeBatch(tx, [...first, first[0]!]));
    expect(written.counted.map((r) => r.id)).toEqual(first.map((e) => e.id));
    expect(written.duplicates).toBe(1);
    const filler = Array.from({ length: 300 }, () => feedback('shop', 3));
    await db.transaction((tx) => writeBatch(tx, filler));
    const again = await db.transaction((tx) => writeBatch(tx, [first[1]!, feedback('shop', 2)]));
    expect(again.duplicates).toBe(1);
    expect(again.counted).toHaveLength(1);
    expect(await ratingCounts('')).toEqual({ 1: 1, 2: 1, 3: 300, 4: 1, 5: 1 });
    expect(await ratingCounts('shop')).toEqual({ 1: 1, 2: 1, 3: 300, 4: 1, 5: 1 });
    const [{ count }] = await db.query<{ count: number }>('SELECT count(*) AS count FROM fp_responses');
    expect(count).toBe(304);
    const words = (await db.query<{ key: string }>("SELECT key FROM fp_rollups WHERE project = 'shop' AND metric = 'negative_word' ORDER BY key")).map((r) => r.key);
    expect(words).toEqual(expect.arrayContaining(['refund', 'broken']));
  });

  it('a transaction that fails counts nothing, and its events count when they come again', async () => {
    test = await kind.create('dbwritefail');
    db = await test.open();
    const events = [feedback('shop', 5), feedback('shop', 4)];
    await expect(db.transaction(async (tx) => { await writeBatch(tx, events); throw new Error('crash before commit'); })).rejects.toThrow();
    expect(await ratingCounts('')).toEqual({});
    const written = await db.transaction((tx) => writeBatch(tx, events));
    expect(written.counted).toHaveLength(2);
    expect(await ratingCounts('')).toEqual({ 4: 1, 5: 1 });
  });

  it('stores hostile text as data and keeps projects beyond the cap in all projects only', async () => {
    test = await kind.create('dbwritehostile');
    db = await test.open();
    const hostile = "'); DROP TABLE fp_responses; -- \u0000 __proto__ \ud800 constructor";
    const events = [
      feedback('__proto__', 1, hostile, { page: { url: 'https://x/\u0000', path: '/\u0000__proto__' } as ConsumedEvent['page'] }),
      feedback('alpha', 2, 'toString valueOf'),
      feedback('beta', 5),
      feedback('gamma', 4),
      click('alpha', 'button#__proto__\u001f', 'Buy \u0000 now'),
    ];
    const written = await db.transaction((tx) => writeBatch(tx, events, { maxProjects: 2 }));
    expect(written.counted).toHaveLength(5);
    // A name the collector refuses gets no figures of its own; beyond the cap of 2, neither does gamma.
    expect([...written.projectOf.values()]).toEqual([null, 'alpha', 'beta', null, 'alpha']);
    const [row] = await db.query<{ comment: string; path: string }>('SELECT comment, path FROM fp_responses WHERE project = $1', ['__proto__']);
    expect(row!.comment).toBe("'); DROP TABLE fp_responses; -- \ufffd __proto__ \ufffd constructor");
    expect(row!.path).toBe('/\ufffd__proto__');
    expect(await ratingCounts('')).toEqual({ 1: 1, 2: 1, 4: 1, 5: 1 });
    expect(await ratingCounts('gamma')).toEqual({});
    expect(await ratingCounts('__proto__')).toEqual({});
    const labels = await db.query<{ project: string; key: string; label: string }>("SELECT project, key, label FROM fp_labels WHERE metric = 'click' ORDER BY project");
    expect(labels).toEqual([
      { project: '', key: '/\u001fbutton#__proto__ ', label: 'Buy \ufffd now' },
      { project: 'alpha', key: '/\u001fbutton#__proto__ ', label: 'Buy \ufffd now' },
    ]);
  });
});
