// The dashboard's ratings per scale, in the shape db/figures/scores.ts builds: overall, rolling
// (the last hour of event time), per minute and per day, plus the distribution of values.
import type { Scale } from '../../core/types';

export const ROLLING_MINUTES = 60;

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
