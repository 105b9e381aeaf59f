// Ratings per page path, normalised to 0..100 so stars, emoji, NPS and thumbs can be compared.
export interface PageRatings { count: number; sum: number; low: number }

/** Pages shown: the 8 worst with at least 3 ratings. */
export const WORST_PAGES = { n: 8, minCount: 3 } as const;
/** Pages with at least `minCount` ratings, worst average first. */
export function rankWorstPages(pages: Iterable<[path: string, ratings: PageRatings]>, n: number = WORST_PAGES.n, minCount: number = WORST_PAGES.minCount) {
  return [...pages].filter(([, p]) => p.count >= minCount)
    .map(([path, p]) => ({ path, count: p.count, score: p.sum / p.count, lowShare: p.low / p.count }))
    .sort((a, b) => a.score - b.score || b.count - a.count || a.path.localeCompare(b.path)).slice(0, n);
}
