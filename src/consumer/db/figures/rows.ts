// The rows the dashboard's figures are computed from, in five parameterised queries per view (run
// together): all-time day totals and the newest days, the newest hour of minutes, the top lists
// (terms, clicks with their labels, pages), the newest comments, and the projects with figures.
// Each reads fp_rollups through its (project, metric, grain, bucket) index.
import type { Scale } from '../../../wire/scales';
import { SCALES } from '../../analysis/scales';
import { NEGATIVE_TERMS } from '../../analysis/negative-words';
import { HOT_SPOTS } from '../../analysis/clicks';
import { WORST_PAGES } from '../../analysis/pages';
import { ROLLING_MINUTES } from '../../analysis/ratings';
import type { Queryable } from '../database';
import { METRIC } from '../metrics';

/** Days shown in the per-day series (the newest days with data). */
export const SHOWN_DAYS = 14;
/**
 * Candidates per top list read at most: the top n and every term tied with its last (so the
 * alphabetical tie-break is the one of analysis/negative-words.ts, done in JavaScript), up to this many.
 */
export const MAX_CANDIDATES = 2000;

/** A sum over rollup rows; `bucket` null for an all-time total. */
export interface CountRow { metric: string; key: string; bucket: number | null; count: number; sum: number }
export interface MinuteRow { metric: string; bucket: number; count: number; sum: number }
export interface TopRow { metric: string; key: string; count: number; sum: number; low: number; label: string | null }
export interface CommentRow { id: string; at: Date; score: number; scale: Scale; comment: string; path: string; sentiment: number | null; language: string | null }

export interface FigureRows { days: CountRow[]; minutes: MinuteRow[]; top: TopRow[]; comments: CommentRow[]; projects: string[] }
export const NO_ROWS: FigureRows = { days: [], minutes: [], top: [], comments: [], projects: [] };

const RATINGS = SCALES.map((scale) => METRIC.rating(scale));
/** Metrics summed over all time, per key. */
const TOTALS = [METRIC.events, ...RATINGS, METRIC.sentiment, METRIC.language, METRIC.negativeComments];
/** Metrics shown per day. */
const PER_DAY = [METRIC.events, ...RATINGS, METRIC.sentiment];
/** Metrics shown per minute (the rolling hour). */
const PER_MINUTE = [METRIC.events, ...RATINGS];

const DAYS_SQL = `
  SELECT metric, key, NULL::bigint AS bucket, sum(count) AS count, sum(sum) AS sum
  FROM fp_rollups WHERE project = $1 AND grain = 'day' AND metric = ANY($2::text[])
  GROUP BY metric, key
  UNION ALL
  SELECT metric, key, bucket, count, sum FROM (
    SELECT metric, key, bucket, count, sum, dense_rank() OVER (PARTITION BY metric ORDER BY bucket DESC) AS newest
    FROM fp_rollups WHERE project = $1 AND grain = 'day' AND metric = ANY($3::text[])
  ) d WHERE newest <= $4`;

// The hour ends at each metric's newest minute with data (event time, not the wall clock).
const MINUTES_SQL = `
  SELECT r.metric, r.bucket, sum(r.count) AS count, sum(r.sum) AS sum
  FROM unnest($2::text[]) AS m(metric)
  CROSS JOIN LATERAL (SELECT max(bucket) AS newest FROM fp_rollups WHERE project = $1 AND metric = m.metric AND grain = 'minute') n
  JOIN fp_rollups r ON r.project = $1 AND r.metric = m.metric AND r.grain = 'minute' AND r.bucket > n.newest - $3 AND r.bucket <= n.newest
  GROUP BY r.metric, r.bucket`;

// rank() keeps every key tied with the n-th, so the tie-break can be applied afterwards.
const TOP_SQL = `
  WITH wanted AS (SELECT * FROM unnest($2::text[], $3::int[], $4::int[]) AS w(metric, top, least)),
  counted AS (
    SELECT r.metric, r.key, sum(r.count) AS count FROM wanted w
    JOIN fp_rollups r ON r.project = $1 AND r.metric = w.metric AND r.grain = 'day'
    GROUP BY r.metric, r.key
  ),
  ranked AS (
    SELECT c.metric, c.key, c.count, w.top, rank() OVER (PARTITION BY c.metric ORDER BY c.count DESC) AS place,
      row_number() OVER (PARTITION BY c.metric ORDER BY c.count DESC) AS n
    FROM counted c JOIN wanted w ON w.metric = c.metric WHERE c.count >= w.least
  ),
  pages AS (
    SELECT key, sum(count) FILTER (WHERE metric = $6) AS count, sum(sum) FILTER (WHERE metric = $6) AS sum,
      coalesce(sum(count) FILTER (WHERE metric = $7), 0) AS low
    FROM fp_rollups WHERE project = $1 AND metric IN ($6, $7) AND grain = 'day'
    GROUP BY key
  ),
  worst AS (
    SELECT key, count, sum, low, rank() OVER (ORDER BY sum / count, count DESC) AS place,
      row_number() OVER (ORDER BY sum / count, count DESC) AS n
    FROM pages WHERE count >= $8
  )
  SELECT ranked.metric, ranked.key, ranked.count, 0::float8 AS sum, 0::bigint AS low, l.label
  FROM ranked LEFT JOIN fp_labels l ON l.project = $1 AND l.metric = ranked.metric AND l.key = ranked.key
  WHERE ranked.place <= ranked.top AND ranked.n <= $5
  UNION ALL
  SELECT $6, key, count, sum, low, NULL FROM worst WHERE place <= $9 AND n <= $5`;

const COMMENT_COLUMNS = 'id, at, score, scale, comment, path, sentiment, language';
const COMMENTS_ALL_SQL = `SELECT ${COMMENT_COLUMNS} FROM fp_responses WHERE comment IS NOT NULL ORDER BY at DESC, id COLLATE "C" LIMIT $1`;
// A project beyond the cap has rows in the inbox but no figures of its own: its view stays empty.
const COMMENTS_OF_SQL = `SELECT ${COMMENT_COLUMNS} FROM fp_responses
  WHERE project = $2 AND comment IS NOT NULL AND EXISTS (SELECT 1 FROM fp_projects WHERE name = $2)
  ORDER BY at DESC, id COLLATE "C" LIMIT $1`;

/** Comments shown, newest first (event time). */
export const SHOWN_COMMENTS = 25;

/** The rows of one project's figures (`project` '' = all projects). */
export async function readFigureRows(db: Queryable, project: string): Promise<FigureRows> {
  const { words, phrases } = NEGATIVE_TERMS;
  const [days, minutes, top, comments, projects] = await Promise.all([
    db.query<CountRow>(DAYS_SQL, [project, TOTALS, PER_DAY, SHOWN_DAYS]),
    db.query<MinuteRow>(MINUTES_SQL, [project, PER_MINUTE, ROLLING_MINUTES]),
    db.query<TopRow>(TOP_SQL, [
      project, [METRIC.negativeWord, METRIC.negativePhrase, METRIC.click], [words.n, phrases.n, HOT_SPOTS],
      [words.minCount, phrases.minCount, 1], MAX_CANDIDATES, METRIC.page, METRIC.pageLow, WORST_PAGES.minCount, WORST_PAGES.n,
    ]),
    project === '' ? db.query<CommentRow>(COMMENTS_ALL_SQL, [SHOWN_COMMENTS]) : db.query<CommentRow>(COMMENTS_OF_SQL, [SHOWN_COMMENTS, project]),
    readProjects(db),
  ]);
  return { days, minutes, top, comments, projects };
}

/** Projects with figures of their own, sorted. */
export const readProjects = async (db: Queryable): Promise<string[]> =>
  (await db.query<{ name: string }>('SELECT name FROM fp_projects ORDER BY name')).map((row) => row.name);
