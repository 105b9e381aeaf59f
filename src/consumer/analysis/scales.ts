// Rating scales for the analysis: the wire's scales and ranges (src/wire/scales.ts, one rule for
// the SDK, the collector and the consumer) as the consumer reads them, and a 0..1 normalisation so
// pages can be compared across scales.
import { isOnScale, isScale, SCALE_RANGE as WIRE_RANGE, type Scale } from '../../wire/scales';
import { LOW, scoreBand } from '../../wire/bands';

export { isScale };
export const SCALES = Object.keys(WIRE_RANGE) as readonly Scale[];
export const SCALE_RANGE: Readonly<Record<Scale, { min: number; max: number }>> = Object.fromEntries(
  SCALES.map((scale) => [scale, { min: WIRE_RANGE[scale][0], max: WIRE_RANGE[scale][1] }]),
) as Record<Scale, { min: number; max: number }>;

/** True for an integer rating inside its scale's range. */
export const isValidRating = (rating: unknown, scale: unknown): rating is number => isOnScale(rating, scale);

/** 0 = worst, 1 = best on any scale. */
export function normalizeRating(rating: number, scale: Scale): number {
  const { min, max } = SCALE_RANGE[scale];
  return (rating - min) / (max - min);
}

/** A rating that counts as unhappy: the low band (the bottom two of 1–5, an NPS detractor, a thumbs down). */
export const isLowRating = (rating: number, scale: Scale): boolean => scoreBand(scale, rating) === LOW;
