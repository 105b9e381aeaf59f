// The three score bands of a rating, shared by the widget (which follow-up question it asks) and
// the consumer's analysis (what counts as unhappy).
import type { Scale } from './scales';

/** Score bands: 0 low, 1 mid, 2 high. */
export const LOW = 0, MID = 1, HIGH = 2;
export type Band = typeof LOW | typeof MID | typeof HIGH;

/**
 * The band of a rating: NPS 0–6 low (detractor), 7–8 mid (passive), 9–10 high (promoter);
 * stars and emoji 1–2 low, 3 mid, 4–5 high (4–5 is what CSAT counts as satisfied); thumbs down
 * low, up high.
 */
export const scoreBand = (scale: Scale, rating: number): Band =>
  (scale === 'nps' ? +(rating > 6) + +(rating > 8) : scale === 'thumbs' ? 2 * rating : +(rating > 2) + +(rating > 3)) as Band;
