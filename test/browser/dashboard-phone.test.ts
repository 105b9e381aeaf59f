// The dashboard on a phone (375 × 740): the time charts are drawn for the width they get, so their
// axis labels stay readable (they were a 640-unit drawing scaled to ~290 px: 5 px text), the header
// wraps instead of cutting off the "demo shop" link, and volume bars stay inside the plot.
import { describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser';
import { useDashboard } from '../helpers/dashboard';
import { ratingEvent, postEvents } from '../helpers/consumer';

describe.skipIf(!hasChromium)('dashboard on a phone-sized screen (Chromium)', () => {
  const dash = useDashboard('fp-phone-');

  it('keeps chart labels readable, bars inside the plot and the header on screen', async () => {
    const day = 86_400_000;
    const events = [0, 1, 2, 3].flatMap((d) => [4, 5, 3].map((r) => ratingEvent('shop', r, { ts: Date.now() - d * day })));
    await postEvents(`${dash.server.url}/v1/events`, events);
    const page = await (await dash.browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true })).newPage();
    await page.goto(`${dash.server.url}/dashboard`);
    await page.locator('body[data-processed="12"]').waitFor({ timeout: 15_000 });

    for (const chart of ['#chart-minutes', '#chart-days']) {
      // Rendered glyph height of the axis labels (10 px in the CSS): before, 5 px on this screen.
      const heights = await page.locator(`${chart} text.tick`).evaluateAll((ts) => ts.map((t) => t.getBoundingClientRect().height));
      expect(heights.length, chart).toBeGreaterThan(0);
      expect(Math.min(...heights), chart).toBeGreaterThanOrEqual(9);
    }
    // Four days of ratings: the first day's bar starts at the plot's edge, not under the "1"…"5" labels.
    const overlap = await page.locator('#chart-days').evaluate((svg) => {
      const bars = [...svg.querySelectorAll('rect.volume')].map((r) => r.getBoundingClientRect());
      const labelsRight = Math.max(...[...svg.querySelectorAll('text.tick')].filter((t) => t.getAttribute('text-anchor') === 'end').map((t) => t.getBoundingClientRect().right));
      return { bars: bars.length, minLeft: Math.min(...bars.map((b) => b.left)), labelsRight };
    });
    expect(overlap.bars).toBe(4);
    expect(overlap.minLeft).toBeGreaterThan(overlap.labelsRight);

    const link = await page.locator('header a[href="/"]').boundingBox();
    expect(link && link.x + link.width).toBeLessThanOrEqual(375);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.close();
  });
});
