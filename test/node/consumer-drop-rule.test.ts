// The "Rating drop" rule reads minute rollups, once per batch: it fires on a real drop, stays
// quiet on a slow slide and during its quiet period, and a batch costs the same with 1 million
// ratings in the window as with none (the rollups hold one row per minute and score, however many
// ratings they count). Timed on both databases; the figures go to docs/database.md.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../src/consumer/alerts/default-rules';
import { createNotifier } from '../../src/consumer/alerts/notifier';
import { dropDetail, type MinuteTotals } from '../../src/consumer/alerts/drop';
import type { DropRule } from '../../src/consumer/alerts/rules';
import { startConsumer } from '../../src/consumer/consumer';
import { alertReader } from '../../src/consumer/db/alerts';
import type { Database } from '../../src/consumer/db/database';
import { minuteBucket } from '../../src/consumer/db/metrics';
import { DATABASES, type TestDatabase } from '../helpers/database';
import { ratingEvent, scriptedSource } from '../helpers/consumer';

const rule: DropRule = { name: 'drop', type: 'drop', scale: 'stars', by: 1, withinMinutes: 10, sample: 4 };
/** Minute totals from [minute, ratings…] pairs. */
const totals = (entries: [number, number[]][]): MinuteTotals => new Map(entries.map(([m, r]) => [m, { count: r.length, sum: r.reduce((a, b) => a + b, 0) }]));

describe('rating drop from minute totals', () => {
  it('fires when the rolling average falls by `by` within the window', () => {
    expect(dropDetail(rule, totals([[100, [5, 5, 5, 5]], [103, [2, 2, 1, 1]]]), 103)).toMatch(/fell from 5\.00 to 1\.50 within 10 min/);
  });
  it('takes earlier minutes into the rolling average until it holds `sample` ratings', () => {
    // Minute 103 has 2 ratings: with minute 102's the average is (5 + 5 + 1 + 1) / 4 = 3.
    expect(dropDetail(rule, totals([[100, [5, 5, 5, 5]], [102, [5, 5]], [103, [1, 1]]]), 103)).toMatch(/fell from 5\.00 to 3\.00/);
    expect(dropDetail(rule, totals([[103, [1, 1]]]), 103)).toBeNull();
  });
  it('does not fire on a slow slide spread over more than the window', () => {
    const slide = totals(Array.from({ length: 30 }, (_, i) => [100 + i, [5 - i / 15, 5 - i / 15, 5 - i / 15, 5 - i / 15]]));
    for (let m = 100; m < 130; m++) expect(dropDetail(rule, slide, m)).toBeNull();
  });
});

describe.each(DATABASES)('rating drop in the worker ($name)', (kind) => {
  let test: TestDatabase | undefined;
  let db: Database | undefined;
  afterEach(async () => { await db?.close(); await test?.cleanup(); db = undefined; test = undefined; });

  it('fires once for a slide, quiet afterwards; a batch costs the same with 1 million ratings in the window', async () => {
    test = await kind.create('droprule');
    db = await test.open();
    const source = scriptedSource();
    const consumer = await startConsumer({ source, db, rules: DEFAULT_RULES, notifier: createNotifier({ db }), sameVisitorMinutes: 0 });
    // A fixed timeline in the past: minute `base` and the 15 before it.
    const base = minuteBucket(Date.now()) - 30;
    const at = (minute: number, second = 0) => (base + minute) * 60_000 + second * 1000;
    const batch = (rating: number, n: number, at: number) => Array.from({ length: n }, (_, i) => ({ event: { ...ratingEvent('p', rating, { ts: at + i }), anonymousId: `d${rating}-${at}-${i}` } }));
    const timeBatch = async (rating: number, at: number) => { const t = performance.now(); await source.push(batch(rating, 100, at)); return performance.now() - t; };

    // Baseline: batches of 100 four-star ratings with nothing else in the window.
    const empty: number[] = [];
    for (let i = 0; i < 5; i++) empty.push(await timeBatch(4, at(-25, i)));
    // 1 million five-star ratings in the 15 minutes before (one row per minute and score, as the write path makes them).
    const first = base - 15;
    await db.query(
      `INSERT INTO fp_rollups AS r (project, grain, bucket, metric, key, count, sum)
       SELECT '', 'minute', $1::bigint + m, 'rating:stars', '5', c, c * 5 FROM (SELECT m, (1000000 / 15 + CASE WHEN m < 1000000 % 15 THEN 1 ELSE 0 END) AS c FROM generate_series(0, 14) AS m) AS g
       ON CONFLICT (project, grain, bucket, metric, key) DO UPDATE SET count = r.count + excluded.count, sum = r.sum + excluded.sum`,
      [first],
    );
    const [{ n }] = await db.query<{ n: number }>("SELECT sum(count) AS n FROM fp_rollups WHERE project = '' AND grain = 'minute' AND metric = 'rating:stars' AND key = '5' AND bucket >= $1", [first]);
    expect(n).toBe(1_000_000);
    const full: number[] = [];
    for (let i = 0; i < 5; i++) full.push(await timeBatch(5, at(-1, i)));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`rating drop (${kind.name}): batch of 100 ratings ${median(empty).toFixed(1)} ms with an empty window, ${median(full).toFixed(1)} ms with 1,000,000 ratings in it (median of 5)`);
    // Flat: the same order of cost (generous bound against a loaded machine).
    expect(median(full)).toBeLessThan(median(empty) * 3 + 50);

    // Two-star ratings two minutes later (no other rule alerts on them): the average falls from ~5 to 2 → one drop alert, then quiet.
    await source.push(batch(2, 1000, at(2)));
    await source.push(batch(2, 1000, at(2, 30)));
    const drops = await alertReader(db).list(5000);
    expect(drops).toHaveLength(1);
    expect(drops[0]!.alert.matches.find((m) => m.rule === 'Rating drop')!.detail).toMatch(/fell from [45]\.\d\d to 2\.00/);
    await consumer.stop();
  }, 120_000);
});
