// The planner's statistics of fp_responses (db/statistics.ts), on both databases: ANALYZE runs once
// the table grew past the threshold and not again until it grows more; afterwards the planner knows
// how many responses a broad search matches (without, it takes any search for a rare one); and
// startStatistics keeps doing it while rows keep arriving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, type TestDatabase } from '../helpers/database';
import { waitFor } from '../helpers/wait';
import type { Database } from '../../src/consumer/db/database';
import { refreshStatistics, startStatistics } from '../../src/consumer/db/statistics';

/** Rows numbered from `from`: two of three mention a refund. */
const insert = (db: Database, from: number, count: number) => db.query(
  `INSERT INTO fp_responses (id, project, at, received_at, scale, score, comment, path, anonymous_id)
   SELECT 'st-' || n, 'shop', now() - n * interval '1 second', now(), 'stars', 1 + n % 5,
          CASE WHEN n % 3 = 0 THEN 'fine ' || n ELSE 'slow checkout, refund ' || n END, '/p', 'anon-' || (n % 100)
   FROM generate_series($1::int, $2::int) AS n`,
  [from, from + count - 1],
);
const tuples = async (db: Database) => (await db.query<{ n: number }>(`SELECT reltuples::int8 AS n FROM pg_class WHERE oid = 'fp_responses'::regclass`))[0]!.n;

describe.each(DATABASES)('planner statistics of the inbox ($name)', (kind) => {
  let test: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    test = await kind.create('inbox_stats');
    db = await test.open();
  });
  afterAll(async () => {
    await db?.close();
    await test?.cleanup();
  });

  it('analyzes once the table grew, not again until it grows more; then a broad search is estimated as it is', async () => {
    expect(await refreshStatistics(db)).toBe(false);
    await insert(db, 1, 6000);
    expect(await refreshStatistics(db)).toBe(true);
    expect(await tuples(db)).toBe(6000);
    expect(await refreshStatistics(db)).toBe(false);
    // A few rows more are under the threshold.
    await insert(db, 6001, 20);
    expect(await refreshStatistics(db)).toBe(false);

    const matching = (await db.query<{ n: number }>(`SELECT count(*) AS n FROM fp_responses WHERE search @@ websearch_to_tsquery('simple', 'refund')`))[0]!.n;
    expect(matching).toBe(4014);
    const [plan] = await db.query<Record<string, string>>(`EXPLAIN SELECT id FROM fp_responses WHERE search @@ websearch_to_tsquery('simple', 'refund')`);
    const estimated = Number(/rows=(\d+)/.exec(Object.values(plan!)[0]!)?.[1]);
    expect(Math.abs(estimated - matching) / matching).toBeLessThan(0.2);
  });

  it('startStatistics checks at once and again as rows arrive; stop ends it', { timeout: 30_000 }, async () => {
    const errors: Error[] = [];
    const statistics = startStatistics(db, { everyMs: 50, onError: (err) => errors.push(err) });
    await statistics.lastRun;
    await insert(db, 10_001, 3000);
    await waitFor(async () => (await tuples(db)) === 9020, 20_000, 'ANALYZE after 3,000 more rows');
    statistics.stop();
    await statistics.lastRun;
    expect(errors).toEqual([]);
  });
});
