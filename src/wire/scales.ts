// The rating scales of the wire format (docs/contract.md, "Feedback"): their names and ranges.
// One module for the browser bundles and the Node side, holding only what the headless SDK needs
// too (dist/core.js carries all of a module it shares with the widget): the score bands live in
// ./bands.ts.

export type Scale = 'stars' | 'nps' | 'thumbs' | 'emoji';

/** [lowest, highest] whole rating per scale; its keys are the scales, the widget's default first. */
export const SCALE_RANGE: Readonly<Record<Scale, readonly [min: number, max: number]>> = {
  stars: [1, 5], nps: [0, 10], thumbs: [0, 1], emoji: [1, 5],
};

/** A scale name. An own-property lookup: `toString`, `constructor` and the like are no scale. */
export const isScale = (value: unknown): value is Scale => typeof value === 'string' && Object.hasOwn(SCALE_RANGE, value);

/** True for a whole rating inside its scale's range (false for an unknown scale). */
export function isOnScale(rating: unknown, scale: unknown): rating is number {
  const range = isScale(scale) && SCALE_RANGE[scale];
  return !!range && Number.isInteger(rating) && (rating as number) >= range[0] && (rating as number) <= range[1];
}
