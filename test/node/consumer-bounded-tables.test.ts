// The worst-pages and click hot-spot tables are bounded (2,000 pages; 1,000 pages × 200 selectors, 5,000 spots in all, keys cut at 256 characters).
// First come, first kept let made-up pages and selectors fill them for good: after that, the pages
// and buttons of real visitors were never counted again.
import { expect, it } from 'vitest';
import { applyClick, createClicks, hotSpots, pageHotSpots } from '../../src/consumer/analysis/clicks';
import { applyPageRating, createPages, worstPages } from '../../src/consumer/analysis/pages';

it('a real page still gets into worst pages after made-up pages filled the table', () => {
  const state = createPages();
  for (let i = 0; i < 2000; i++) for (let k = 0; k < 2; k++) applyPageRating(state, `/made-up/${i}`, 'stars', 5, false);
  for (let k = 0; k < 4; k++) applyPageRating(state, '/checkout', 'stars', 1, true);
  expect(worstPages(state)[0]).toMatchObject({ path: '/checkout', count: 4, lowShare: 1 });
  expect(Object.keys(state).length).toBeLessThanOrEqual(2000);
});

it('a real page and button still get into hot spots after made-up ones filled the table', () => {
  const state = createClicks();
  for (let i = 0; i < 1000; i++) for (let k = 0; k < 2; k++) applyClick(state, `/made-up/${i}`, '#x', undefined);
  for (let i = 0; i < 200; i++) for (let k = 0; k < 2; k++) applyClick(state, '/', `#made-up-${i}`, undefined);
  for (let k = 0; k < 5; k++) applyClick(state, '/checkout', 'button.pay', 'Pay');
  for (let k = 0; k < 5; k++) applyClick(state, '/', 'button.buy', 'Buy');
  expect(hotSpots(state, 2).map((s) => `${s.path} ${s.selector} ${s.count}`).sort()).toEqual(['/ button.buy 5', '/checkout button.pay 5']);
  expect(pageHotSpots(state, '/')[0]).toMatchObject({ selector: 'button.buy', count: 5 });
  expect(Object.keys(state).length).toBeLessThanOrEqual(1000);
  expect(Object.keys(state['/']!).length).toBeLessThanOrEqual(200);
});

it('hot spots stay small in all: a cap across pages and cut keys, so long made-up paths and selectors cannot grow the checkpoint', () => {
  const state = createClicks();
  const long = 'x'.repeat(1000);
  for (let k = 0; k < 5; k++) applyClick(state, '/checkout', 'button.pay', 'Pay');
  // 100 pages × 200 selectors, each path and selector 1 KB: every table on its own was within its cap.
  for (let page = 0; page < 100; page++) for (let i = 0; i < 200; i++) applyClick(state, `/${page}/${long}`, `#${i}-${long}`, undefined);
  const spots = Object.values(state).reduce((n, page) => n + Object.keys(page).length, 0);
  expect(spots).toBeLessThanOrEqual(5000);
  expect(JSON.stringify(state).length).toBeLessThan(3_000_000);
  expect(Object.keys(state).every((path) => path.length <= 256)).toBe(true);
  expect(hotSpots(state, 1)[0]).toMatchObject({ path: '/checkout', selector: 'button.pay', count: 5 });
});
