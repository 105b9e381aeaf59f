// Ratings per page path, normalised to 0..100 so stars, emoji, NPS and thumbs can be compared.
import type { Scale } from '../../core/types';
import { normalizeRating } from './scales';
import { emptyRecord, makeRoom } from '../records';

const MAX_PAGES = 2000;

export interface PageRatings { count: number; sum: number; low: number }
export type PagesState = Record<string, PageRatings>;

/** Keyed by page path (visitor text): a null-prototype record. */
export const createPages = (): PagesState => emptyRecord();

export function applyPageRating(state: PagesState, path: string, scale: Scale, rating: number, low: boolean): void {
  if (!state[path]) makeRoom(state, 1, MAX_PAGES, (page) => page.count);
  const p = state[path] ?? (state[path] = { count: 0, sum: 0, low: 0 });
  p.count += 1;
  p.sum += normalizeRating(rating, scale) * 100;
  if (low) p.low += 1;
}

/** Pages with at least `minCount` ratings, worst average first. */
/** Pages shown: the 8 worst with at least 3 ratings. */
export const WORST_PAGES = { n: 8, minCount: 3 } as const;
export const worstPages = (state: PagesState) => rankWorstPages(Object.entries(state));
export function rankWorstPages(pages: Iterable<[path: string, ratings: PageRatings]>, n: number = WORST_PAGES.n, minCount: number = WORST_PAGES.minCount) {
  return [...pages].filter(([, p]) => p.count >= minCount)
    .map(([path, p]) => ({ path, count: p.count, score: p.sum / p.count, lowShare: p.low / p.count }))
    .sort((a, b) => a.score - b.score || b.count - a.count || a.path.localeCompare(b.path)).slice(0, n);
}
