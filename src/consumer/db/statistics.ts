// The planner's statistics of the embedded database. PGlite runs PostgreSQL as one backend without
// autovacuum, so nothing runs ANALYZE there by itself. Without statistics the planner guesses that a
// search of the comments matches a few hundred rows, so each page of a broad search (a word in most
// comments) reads and sorts every match: the export of such a view of 1,000,000 responses takes an
// hour instead of 21 s (docs/database.md), holding the only connection all along. PostgreSQL's own
// autovacuum keeps its statistics; this runs for the embedded database only (server.ts).
import { defaultLogger } from '../../server/logger';
import { runPeriodically, type Periodic } from '../../server/periodic';
import type { Queryable } from './database';

/** Analyze again once the table's pages grew by this share since the last ANALYZE (autovacuum's analyze_scale_factor)… */
const GROWTH = 0.1;
/** …and by at least this many pages (8 KB each), so a small inbox is not analyzed at every change. */
const MIN_PAGES = 8;

/** ANALYZE of fp_responses when it grew enough since the last (or never had one); whether it ran. */
export async function refreshStatistics(db: Queryable): Promise<boolean> {
  // relpages is what the last ANALYZE (or VACUUM, CREATE INDEX) saw; the file's size is what is there now.
  const [table] = await db.query<{ analyzed: number; pages: number }>(
    `SELECT relpages AS analyzed, pg_relation_size(oid) / current_setting('block_size')::int8 AS pages
     FROM pg_class WHERE oid = 'fp_responses'::regclass`,
  );
  if (!table || table.pages <= table.analyzed * (1 + GROWTH) + MIN_PAGES) return false;
  await db.query('ANALYZE fp_responses');
  return true;
}

export type Statistics = Periodic<boolean>;

/** Checks now and every `everyMs` (default a minute: a check is one catalog read); errors go to `onError`. */
export function startStatistics(db: Queryable, options: { everyMs?: number; onError?: (err: Error) => void } = {}): Statistics {
  const onError = options.onError ?? ((err: Error) => defaultLogger({ level: 'error', msg: 'statistics_failed', error: err.message }));
  return runPeriodically(() => refreshStatistics(db), options.everyMs ?? 60_000, onError);
}
