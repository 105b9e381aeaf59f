// Average rating per scale: overall, rolling (the last hour of event time), per minute and per day,
// plus the distribution of values.
import type { Scale } from '../../core/types';
import { SCALE_RANGE } from './scales';
import { emptyRecord } from '../records';
import { addToBucket, average, dayKey, minuteKey, minuteStart, trimDays, trimMinutes, type Bucket } from './time';

export const ROLLING_MINUTES = 60;
const KEEP_MINUTES = 24 * 60;
const KEEP_DAYS = 90;

export interface ScaleRatings {
  count: number;
  sum: number;
  /** Count per rating value, index 0 = the scale's minimum. */
  distribution: number[];
  byMinute: Record<number, Bucket>;
  byDay: Record<string, Bucket>;
  /** Newest event minute seen: the rolling window ends here. */
  newestMinute: number;
}
export type RatingsState = Partial<Record<Scale, ScaleRatings>>;

export const createRatings = (): RatingsState => emptyRecord();

function emptyScale(scale: Scale): ScaleRatings {
  const { min, max } = SCALE_RANGE[scale];
  return { count: 0, sum: 0, distribution: new Array<number>(max - min + 1).fill(0), byMinute: emptyRecord(), byDay: emptyRecord(), newestMinute: 0 };
}

export function applyRating(state: RatingsState, scale: Scale, rating: number, at: number): void {
  const s = state[scale] ?? (state[scale] = emptyScale(scale));
  s.count += 1;
  s.sum += rating;
  s.distribution[rating - SCALE_RANGE[scale].min] += 1;
  const minute = minuteKey(at);
  addToBucket(s.byMinute, minute, rating);
  if (addToBucket(s.byDay, dayKey(at), rating)) trimDays(s.byDay, KEEP_DAYS);
  if (minute > s.newestMinute) {
    const previous = s.newestMinute;
    s.newestMinute = minute;
    trimMinutes(s.byMinute, minute, KEEP_MINUTES, previous);
  }
}

/** Mean of the ratings in the ROLLING_MINUTES ending at `endMinute` (default: the newest event). */
export function rollingAverage(s: ScaleRatings, endMinute = s.newestMinute, minutes = ROLLING_MINUTES): { average: number | null; count: number } {
  let sum = 0;
  let count = 0;
  for (let m = endMinute - minutes + 1; m <= endMinute; m++) {
    const b = s.byMinute[m];
    if (b) { sum += b.sum; count += b.count; }
  }
  return { average: count ? sum / count : null, count };
}

export interface ScaleRatingsView {
  scale: Scale;
  count: number;
  average: number | null;
  rolling: number | null;
  rollingCount: number;
  min: number;
  max: number;
  distribution: number[];
  perDay: { day: string; average: number | null; count: number }[];
  perMinute: { at: number; average: number | null; count: number }[];
}

export function ratingsView(state: RatingsState, days = 14, minutes = ROLLING_MINUTES): ScaleRatingsView[] {
  const views: ScaleRatingsView[] = [];
  for (const scale of Object.keys(SCALE_RANGE) as Scale[]) {
    const s = state[scale];
    if (!s || !s.count) continue;
    const rolling = rollingAverage(s);
    const perDay = Object.keys(s.byDay).sort().slice(-days)
      .map((day) => ({ day, average: average(s.byDay[day]), count: s.byDay[day].count }));
    const perMinute = [];
    for (let m = s.newestMinute - minutes + 1; m <= s.newestMinute; m++) {
      perMinute.push({ at: minuteStart(m), average: average(s.byMinute[m]), count: s.byMinute[m]?.count ?? 0 });
    }
    views.push({
      scale, count: s.count, average: s.sum / s.count, rolling: rolling.average, rollingCount: rolling.count,
      ...SCALE_RANGE[scale], distribution: s.distribution.slice(), perDay, perMinute,
    });
  }
  return views;
}
