// The dashboard's figures read from the database (ratings, nps, csat, volume, sentiment,
// negativeWords, worstPages, hotSpots, comments). All-time figures are sums over day buckets; the
// rolling hour and per-minute series come from minute buckets ending at the newest minute with data
// (event time, as a replay gives the same figures).
import type { Queryable } from '../database';
import { METRIC } from '../metrics';
import { commentsFigures, hotSpotsFigures, negativeWordsFigures, sentimentFigures, volumeFigures, worstPagesFigures } from './activity';
import { NO_ROWS, readFigureRows, readProjects, type FigureRows } from './rows';
import { csatFigures, npsFigures, ratingSeries, ratingsFigures, seriesOf } from './scores';

export function figuresFromRows(rows: FigureRows) {
  const { days, minutes, top } = rows;
  const ratings = ratingSeries(days, minutes);
  const series = (metric: string) => seriesOf(metric, days, minutes);
  return {
    /** Projects with figures of their own, sorted. */
    projects: rows.projects,
    ratings: ratingsFigures(ratings),
    nps: npsFigures(ratings.get('nps')!),
    csat: csatFigures(ratings),
    volume: volumeFigures(series(METRIC.events)),
    sentiment: sentimentFigures(series(METRIC.sentiment), series(METRIC.language)),
    negativeWords: negativeWordsFigures(series(METRIC.negativeComments), top),
    worstPages: worstPagesFigures(top),
    hotSpots: hotSpotsFigures(top),
    comments: commentsFigures(rows.comments),
  };
}
export type Figures = ReturnType<typeof figuresFromRows>;

/**
 * The figures of one project (`project` '' = all projects), or empty figures without a query for a
 * key that is no project (`null`, e.g. the shared view of projects not seen yet).
 */
export async function readFigures(db: Queryable, project: string | null): Promise<Figures> {
  if (project === null) {
    return figuresFromRows({ ...NO_ROWS, projects: await readProjects(db) });
  }
  return figuresFromRows(await readFigureRows(db, project));
}
