// CSAT: the share of 1–5 answers (stars, emoji) that are 4 or 5, in %.
import type { Scale } from '../../core/types';
import { HIGH, scoreBand } from '../../wire/bands';

export const countsForCsat = (scale: Scale): boolean => scale === 'stars' || scale === 'emoji';

/** 4 or 5: the high band of the wire (src/wire/bands.ts). */
export const isSatisfied = (scale: Scale, rating: number): boolean => scoreBand(scale, rating) === HIGH;

export const csatPercent = (c: { satisfied: number; total: number }): number | null =>
  (c.total ? (c.satisfied / c.total) * 100 : null);
