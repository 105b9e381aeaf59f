// The "average rating dropped" rule, read from the minute rollups of rating:<scale> (all
// projects), once per batch: the same cost at 100 ratings a minute as at 100,000, and every worker
// reads the same counters. The rule's quiet period is one row in fp_rule_states, locked FOR UPDATE
// only when the rule is about to fire, so two workers never both fire for one slide.
//
// The rolling average at minute t is the average of the ratings of minute t and as many minutes
// before it as it takes to hold at least `sample` ratings (at most `withinMinutes` back). The rule
// fires when the rolling average of the batch's newest minute is at least `by` below the highest
// rolling average of the `withinMinutes` minutes before it.
import type { Queryable } from '../db/database';
import { ALL_PROJECTS, METRIC, minuteBucket } from '../db/metrics';
import type { DropRule } from './rules';

const MINUTE = 60_000;

/** Ratings per minute bucket: how many, and their sum. */
export type MinuteTotals = Map<number, { count: number; sum: number }>;

/** The rolling average at `minute`, or null when the `lookback` minutes before hold fewer than `sample` ratings. */
function rollingAverage(totals: MinuteTotals, minute: number, sample: number, lookback: number): number | null {
  let count = 0;
  let sum = 0;
  for (let t = minute; t >= minute - lookback; t--) {
    const m = totals.get(t);
    if (m) { count += m.count; sum += m.sum; }
    if (count >= sample) return sum / count;
  }
  return null;
}

/** Pure: the alert detail when the rolling average at `minute` fell by `rule.by` within the window, else null. */
export function dropDetail(rule: DropRule, totals: MinuteTotals, minute: number): string | null {
  const sample = rule.sample ?? 30;
  const window = Math.ceil(rule.withinMinutes);
  const now = rollingAverage(totals, minute, sample, window);
  if (now === null) return null;
  let peak = now;
  for (let t = minute - window; t < minute; t++) {
    const avg = rollingAverage(totals, t, sample, window);
    if (avg !== null && avg > peak) peak = avg;
  }
  if (peak - now < rule.by) return null;
  return `average of the latest ${sample}+ ${rule.scale} ratings (by minute) fell from ${peak.toFixed(2)} to ${now.toFixed(2)} within ${rule.withinMinutes} min`;
}

/** The minute totals of `scale` the rule reads for `minute`: two windows back (a constant number of rows). */
export async function minuteTotals(tx: Queryable, rule: DropRule, minute: number): Promise<MinuteTotals> {
  const window = Math.ceil(rule.withinMinutes);
  const rows = await tx.query<{ bucket: number; count: number; sum: number }>(
    `SELECT bucket, sum(count) AS count, sum(sum) AS sum FROM fp_rollups
     WHERE project = $1 AND metric = $2 AND grain = 'minute' AND bucket BETWEEN $3 AND $4 GROUP BY bucket`,
    [ALL_PROJECTS, METRIC.rating(rule.scale), minute - 2 * window, minute],
  );
  return new Map(rows.map((r) => [Number(r.bucket), { count: Number(r.count), sum: Number(r.sum) }]));
}

/**
 * In the caller's transaction, after the batch's counters are written: the detail when the rule
 * fires for a rating at `at` (event time, the batch's newest on the rule's scale), else null.
 * Firing sets the quiet period: no second alert for the same slide before at + withinMinutes.
 */
export async function checkDrop(tx: Queryable, rule: DropRule, at: number): Promise<string | null> {
  const minute = minuteBucket(at);
  const detail = dropDetail(rule, await minuteTotals(tx, rule, minute), minute);
  if (!detail) return null;
  await tx.query('INSERT INTO fp_rule_states (rule) VALUES ($1) ON CONFLICT (rule) DO NOTHING', [rule.name]);
  const [state] = await tx.query<{ quiet_until: number }>('SELECT quiet_until FROM fp_rule_states WHERE rule = $1 FOR UPDATE', [rule.name]);
  if (at < Number(state?.quiet_until ?? 0)) return null;
  await tx.query('UPDATE fp_rule_states SET quiet_until = $2 WHERE rule = $1', [rule.name, Math.round(at + rule.withinMinutes * MINUTE)]);
  return detail;
}
