// The rating scales of the wire format (docs/contract.md, "Feedback"): their names, their ranges,
// and the three score bands the widget's follow-up question and the consumer's analysis share.
// One module for the browser bundles and the Node side; each export is a plain constant or
// function, so a bundle keeps only what it uses.

/** Every scale, the widget's default first. */
export const SCALES = ['stars', 'nps', 'thumbs', 'emoji'] as const;
export type Scale = (typeof SCALES)[number];

/** [lowest, highest] whole rating per scale. */
export const SCALE_RANGE: Readonly<Record<Scale, readonly [min: number, max: number]>> = {
  stars: [1, 5], nps: [0, 10], thumbs: [0, 1], emoji: [1, 5],
};

/** A scale name. An own-property lookup: `toString`, `constructor` and the like are no scale. */
export const isScale = (value: unknown): value is Scale => typeof value == 'string' && Object.hasOwn(SCALE_RANGE, value);

/** True for a whole rating inside its scale's range (false for an unknown scale). */
export const isOnScale = (rating: unknown, scale: unknown): rating is number =>
  isScale(scale) && Number.isInteger(rating) && (rating as number) >= SCALE_RANGE[scale][0] && (rating as number) <= SCALE_RANGE[scale][1];

/** Score bands: 0 low, 1 mid, 2 high. */
export const LOW = 0, MID = 1, HIGH = 2;
export type Band = typeof LOW | typeof MID | typeof HIGH;

/**
 * The band of a rating: NPS 0–6 low (detractor), 7–8 mid (passive), 9–10 high (promoter);
 * stars and emoji 1–2 low, 3 mid, 4–5 high (4–5 is what CSAT counts as satisfied); thumbs down
 * low, up high.
 */
export const scoreBand = (scale: Scale, rating: number): Band =>
  (scale == 'nps' ? +(rating > 6) + +(rating > 8) : scale == 'thumbs' ? 2 * rating : +(rating > 2) + +(rating > 3)) as Band;
