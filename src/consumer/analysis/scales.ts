// Rating scales (CONTRACT §2): their ranges and a 0..1 normalisation so pages can be compared across scales.
import type { Scale } from '../../core/types';

export const SCALES: readonly Scale[] = ['stars', 'emoji', 'nps', 'thumbs'];
export const SCALE_RANGE: Record<Scale, { min: number; max: number }> = {
  stars: { min: 1, max: 5 },
  emoji: { min: 1, max: 5 },
  nps: { min: 0, max: 10 },
  thumbs: { min: 0, max: 1 },
};

export function isScale(value: unknown): value is Scale {
  return typeof value === 'string' && value in SCALE_RANGE;
}

/** True for an integer rating inside its scale's range. */
export function isValidRating(rating: unknown, scale: unknown): rating is number {
  if (!isScale(scale) || typeof rating !== 'number' || !Number.isInteger(rating)) return false;
  const { min, max } = SCALE_RANGE[scale];
  return rating >= min && rating <= max;
}

/** 0 = worst, 1 = best on any scale. */
export function normalizeRating(rating: number, scale: Scale): number {
  const { min, max } = SCALE_RANGE[scale];
  return (rating - min) / (max - min);
}

/** A rating that counts as unhappy: the bottom two of 1–5, an NPS detractor, a thumbs down. */
export function isLowRating(rating: number, scale: Scale): boolean {
  if (scale === 'nps') return rating <= 6;
  if (scale === 'thumbs') return rating === 0;
  return rating <= 2;
}
