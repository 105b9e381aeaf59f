// Click hot spots: how often each selector is clicked, per page path.
import { clipText } from '../../collector/clip-text';
import { emptyRecord, makeRoom } from '../records';
const MAX_SELECTORS_PER_PAGE = 200;
const MAX_PAGES = 1000;
// Spots across all pages of one view. The per-page and page caps alone allowed 200,000 spots per
// view (and a view per project): 20,000 made-up clicks with long paths grew the checkpoint to 44 MB.
const MAX_SPOTS = 5000;
// Longer paths and selectors are cut: they are shown, not matched, and every byte is kept per view.
const KEY_CHARS = 256;

export interface ClickSpot { count: number; text?: string }
export type ClicksState = Record<string, Record<string, ClickSpot>>;

// Keyed by page path and selector (visitor text): null-prototype records, see records.ts.
export const createClicks = (): ClicksState => emptyRecord();

const clicksOn = (page: Record<string, ClickSpot>): number => Object.values(page).reduce((sum, spot) => sum + spot.count, 0);

// Spots per view, counted once and then kept up to date (the state itself is plain data for the
// checkpoint); forgotten whenever a cap removes spots, and counted again on the next new spot.
const spotCounts = new WeakMap<ClicksState, number>();

function spotsIn(state: ClicksState): number {
  let n = spotCounts.get(state);
  if (n === undefined) spotCounts.set(state, (n = Object.values(state).reduce((sum, page) => sum + Object.keys(page).length, 0)));
  return n;
}

/** Forgets the least clicked spots of the whole view down to three quarters of MAX_SPOTS. */
function makeRoomForSpot(state: ClicksState): void {
  if (spotsIn(state) < MAX_SPOTS) return;
  const spots: [path: string, selector: string, count: number][] = [];
  for (const [path, page] of Object.entries(state)) for (const [selector, spot] of Object.entries(page)) spots.push([path, selector, spot.count]);
  spots.sort((a, b) => a[2] - b[2]);
  for (const [path, selector] of spots.slice(0, spots.length - Math.floor((MAX_SPOTS * 3) / 4))) {
    delete state[path]![selector];
    if (!Object.keys(state[path]!).length) delete state[path];
  }
  spotCounts.delete(state);
}

export function applyClick(state: ClicksState, fullPath: string, fullSelector: string, text: string | undefined): void {
  const path = clipText(fullPath, KEY_CHARS);
  const selector = clipText(fullSelector, KEY_CHARS);
  if (!state[path]?.[selector]) {
    makeRoomForSpot(state);
    if (!state[path] && makeRoom(state, 1, MAX_PAGES, clicksOn)) spotCounts.delete(state);
    const page = state[path] ?? (state[path] = emptyRecord());
    if (makeRoom(page, 1, MAX_SELECTORS_PER_PAGE, (spot) => spot.count)) spotCounts.delete(state);
    page[selector] = { count: 0 };
    const n = spotCounts.get(state);
    if (n !== undefined) spotCounts.set(state, n + 1);
  }
  const spot = state[path]![selector]!;
  spot.count += 1;
  if (typeof text === 'string' && text) spot.text = clipText(text, 64);
}

/** The most clicked selectors across pages, each with its page. */
export function hotSpots(state: ClicksState, n = 10) {
  const spots: Spot[] = [];
  for (const [path, page] of Object.entries(state)) {
    for (const [selector, spot] of Object.entries(page)) spots.push({ path, selector, text: spot.text, count: spot.count });
  }
  return rankSpots(spots, n);
}
export interface Spot { path: string; selector: string; text?: string; count: number }
/** Spots shown on the dashboard. */
export const HOT_SPOTS = 12;
/** The `n` most clicked, then by page and selector. */
export const rankSpots = (spots: Spot[], n: number): Spot[] =>
  spots.sort((a, b) => b.count - a.count || a.path.localeCompare(b.path) || a.selector.localeCompare(b.selector)).slice(0, n);

/** Most clicked selectors on one page. */
export function pageHotSpots(state: ClicksState, path: string, n = 10) {
  return Object.entries(state[path] ?? emptyRecord<ClickSpot>()).map(([selector, s]) => ({ selector, text: s.text, count: s.count }))
    .sort((a, b) => b.count - a.count || a.selector.localeCompare(b.selector)).slice(0, n);
}
