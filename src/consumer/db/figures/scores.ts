// Ratings per scale, NPS and CSAT from the rating rollups (metric rating:<scale>, key = the score):
// with the rules of analysis/ratings.ts, nps.ts and csat.ts.
import type { Scale } from '../../../wire/scales';
import { HIGH, LOW, scoreBand } from '../../../wire/bands';
import { countsForCsat, csatPercent, isSatisfied } from '../../analysis/csat';
import { npsScore, type NpsCounts } from '../../analysis/nps';
import { ROLLING_MINUTES, type ScaleRatingsView } from '../../analysis/ratings';
import { SCALE_RANGE, SCALES } from '../../analysis/scales';
import { average } from '../../analysis/time';
import { dayOfBucket, METRIC, minuteStartOf } from '../metrics';
import type { CountRow, MinuteRow } from './rows';

export interface Series { totals: CountRow[]; days: Map<number, CountRow[]>; minutes: Map<number, MinuteRow>; newestMinute: number | undefined }

/** The rows of one metric, split into all-time totals, the newest days and the newest hour. */
export function seriesOf(metric: string, days: readonly CountRow[], minutes: readonly MinuteRow[]): Series {
  const series: Series = { totals: [], days: new Map(), minutes: new Map(), newestMinute: undefined };
  for (const row of days) {
    if (row.metric !== metric) continue;
    if (row.bucket === null) series.totals.push(row);
    else series.days.set(row.bucket, [...(series.days.get(row.bucket) ?? []), row]);
  }
  for (const row of minutes) {
    if (row.metric !== metric) continue;
    series.minutes.set(row.bucket, row);
    if (series.newestMinute === undefined || row.bucket > series.newestMinute) series.newestMinute = row.bucket;
  }
  return series;
}

export const sumOf = (rows: readonly { count: number; sum: number }[]) =>
  rows.reduce((total, row) => ({ count: total.count + row.count, sum: total.sum + row.sum }), { count: 0, sum: 0 });

/** The newest days in order, oldest first. */
export const daysInOrder = (series: Series) => [...series.days.keys()].sort((a, b) => a - b).map((bucket) => ({ day: dayOfBucket(bucket), rows: series.days.get(bucket)! }));

/** The hour of minutes ending at the newest with data (the current minute when none is kept). */
export function hourOf<T>(series: Series, each: (at: number, row: MinuteRow | undefined) => T, end = series.newestMinute ?? Math.floor(Date.now() / 60_000)): T[] {
  const hour: T[] = [];
  for (let m = end - ROLLING_MINUTES + 1; m <= end; m++) hour.push(each(minuteStartOf(m), series.minutes.get(m)));
  return hour;
}

export function ratingsFigures(ratings: ReadonlyMap<Scale, Series>): ScaleRatingsView[] {
  const views: ScaleRatingsView[] = [];
  for (const scale of SCALES) {
    const series = ratings.get(scale)!;
    const all = sumOf(series.totals);
    if (!all.count) continue;
    const { min, max } = SCALE_RANGE[scale];
    const distribution = new Array<number>(max - min + 1).fill(0);
    for (const row of series.totals) distribution[Number(row.key) - min] += row.count;
    const rolling = sumOf([...series.minutes.values()]);
    views.push({
      scale, count: all.count, average: all.sum / all.count, rolling: average(rolling), rollingCount: rolling.count, min, max, distribution,
      perDay: daysInOrder(series).map(({ day, rows }) => { const b = sumOf(rows); return { day, average: average(b), count: b.count }; }),
      perMinute: hourOf(series, (at, row) => ({ at, average: average(row), count: row?.count ?? 0 })),
    });
  }
  return views;
}

function npsCounts(rows: readonly CountRow[]): NpsCounts {
  const counts: NpsCounts = { promoters: 0, passives: 0, detractors: 0 };
  for (const row of rows) {
    const band = scoreBand('nps', Number(row.key));
    if (band === HIGH) counts.promoters += row.count;
    else if (band === LOW) counts.detractors += row.count;
    else counts.passives += row.count;
  }
  return counts;
}

export function npsFigures(nps: Series) {
  const counts = npsCounts(nps.totals);
  return {
    score: npsScore(counts), ...counts, total: counts.promoters + counts.passives + counts.detractors,
    perDay: daysInOrder(nps).map(({ day, rows }) => ({ day, score: npsScore(npsCounts(rows)) })),
  };
}

export function csatFigures(ratings: ReadonlyMap<Scale, Series>) {
  let satisfied = 0;
  let total = 0;
  for (const scale of SCALES) {
    if (!countsForCsat(scale)) continue;
    for (const row of ratings.get(scale)!.totals) {
      total += row.count;
      if (isSatisfied(scale, Number(row.key))) satisfied += row.count;
    }
  }
  return { percent: csatPercent({ satisfied, total }), satisfied, total };
}

export const ratingSeries = (days: readonly CountRow[], minutes: readonly MinuteRow[]): Map<Scale, Series> =>
  new Map(SCALES.map((scale) => [scale, seriesOf(METRIC.rating(scale), days, minutes)]));
