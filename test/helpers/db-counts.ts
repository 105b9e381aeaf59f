// The figures as the database holds them (fp_rollups, fp_responses, fp_alerts): what a restart
// must leave unchanged and what two workers together must add up to.
import type { Queryable } from '../../src/consumer/db/database';

export interface DbCounts {
  events: number;
  /** scale → score → count (all projects). */
  ratings: Record<string, Record<string, number>>;
  clicks: number;
  responses: number;
  comments: number;
  alerts: number;
  seen: number;
}

export async function dbCounts(db: Queryable): Promise<DbCounts> {
  const rows = await db.query<{ metric: string; key: string; count: number }>(
    "SELECT metric, key, sum(count) AS count FROM fp_rollups WHERE project = '' AND grain = 'day' AND (metric LIKE 'rating:%' OR metric IN ('events', 'click')) GROUP BY metric, key ORDER BY metric, key",
  );
  const ratings: DbCounts['ratings'] = {};
  let events = 0;
  let clicks = 0;
  for (const r of rows) {
    if (r.metric === 'events') events += r.count;
    else if (r.metric === 'click') clicks += r.count;
    else (ratings[r.metric.slice('rating:'.length)] ??= {})[r.key] = r.count;
  }
  const [one] = await db.query<{ responses: number; comments: number; alerts: number; seen: number }>(
    `SELECT (SELECT count(*) FROM fp_responses) AS responses, (SELECT count(*) FROM fp_responses WHERE comment IS NOT NULL) AS comments,
            (SELECT count(*) FROM fp_alerts) + (SELECT coalesce(sum(count), 0) FROM fp_alert_drops) AS alerts, (SELECT count(*) FROM fp_seen) AS seen`,
  );
  return { events, ratings, clicks, responses: one!.responses, comments: one!.comments, alerts: Number(one!.alerts), seen: one!.seen };
}

/** How many ratings the counts hold in all. */
export const ratingTotal = (c: DbCounts): number => Object.values(c.ratings).reduce((n, byScore) => n + Object.values(byScore).reduce((a, b) => a + b, 0), 0);
