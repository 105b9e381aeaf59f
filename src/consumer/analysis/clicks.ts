// Click hot spots: the most clicked selectors across pages, each with its page.
export interface Spot { path: string; selector: string; text?: string; count: number }
/** Spots shown on the dashboard. */
export const HOT_SPOTS = 12;
/** The `n` most clicked, then by page and selector. */
export const rankSpots = (spots: Spot[], n: number): Spot[] =>
  spots.sort((a, b) => b.count - a.count || a.path.localeCompare(b.path) || a.selector.localeCompare(b.selector)).slice(0, n);
