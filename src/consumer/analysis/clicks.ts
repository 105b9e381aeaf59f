// Click hot spots: how often each selector is clicked, per page path.
import { clipText } from '../../collector/clip-text';
import { emptyRecord, makeRoom } from '../records';
const MAX_SELECTORS_PER_PAGE = 200;
const MAX_PAGES = 1000;

export interface ClickSpot { count: number; text?: string }
export type ClicksState = Record<string, Record<string, ClickSpot>>;

// Keyed by page path and selector (visitor text): null-prototype records, see records.ts.
export const createClicks = (): ClicksState => emptyRecord();

const clicksOn = (page: Record<string, ClickSpot>): number => Object.values(page).reduce((sum, spot) => sum + spot.count, 0);

export function applyClick(state: ClicksState, path: string, selector: string, text: string | undefined): void {
  if (!state[path]) makeRoom(state, 1, MAX_PAGES, clicksOn);
  const page = state[path] ?? (state[path] = emptyRecord());
  if (!page[selector]) makeRoom(page, 1, MAX_SELECTORS_PER_PAGE, (spot) => spot.count);
  const spot = page[selector] ?? (page[selector] = { count: 0 });
  spot.count += 1;
  if (typeof text === 'string' && text) spot.text = clipText(text, 64);
}

/** The most clicked selectors across pages, each with its page. */
export function hotSpots(state: ClicksState, n = 10) {
  const spots: { path: string; selector: string; text?: string; count: number }[] = [];
  for (const [path, page] of Object.entries(state)) {
    for (const [selector, spot] of Object.entries(page)) spots.push({ path, selector, text: spot.text, count: spot.count });
  }
  return spots.sort((a, b) => b.count - a.count || a.path.localeCompare(b.path) || a.selector.localeCompare(b.selector)).slice(0, n);
}

/** Most clicked selectors on one page. */
export function pageHotSpots(state: ClicksState, path: string, n = 10) {
  return Object.entries(state[path] ?? emptyRecord<ClickSpot>()).map(([selector, s]) => ({ selector, text: s.text, count: s.count }))
    .sort((a, b) => b.count - a.count || a.selector.localeCompare(b.selector)).slice(0, n);
}
