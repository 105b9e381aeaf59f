// WCAG 2.2 AA checks of the live dashboard in Chromium: axe in both colour schemes with data, while
// live and while a simulation runs, and at 320 px (no sideways scrolling); plus what axe cannot
// judge: the charts' text alternatives hold the view's numbers, focus stays off <body> when
// Simulate is pressed, the live region speaks only on meaningful changes (a simulation, the
// connection lost and back), graphics reach 3:1, and updates can pause.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser';
import { useDashboard } from '../helpers/dashboard';
import { ratingEvent, postEvents } from '../helpers/consumer';
import type { DashboardView } from '../../src/consumer/dashboard/view';
import { startFeedpulseServer } from '../../src/consumer/index';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const DAY = 86_400_000;
const MINUTE = 60_000;

describe.skipIf(!hasChromium)('dashboard accessibility (axe, Chromium)', () => {
  const dash = useDashboard('fp-dash-a11y-');
  let seeded = 0;

  async function seed(): Promise<void> {
    if (seeded) return;
    const now = Date.now();
    const events = [
      ...[0, 1, 2, 3].flatMap((d) => [5, 4, 2].map((r, i) => ratingEvent('shop', r, { ts: now - d * DAY - i * MINUTE, path: d % 2 ? '/checkout' : '/a-rather-long-product-page-path/with-many-parts' }))),
      ...[0, 2].flatMap((d) => [10, 9, 3, 7].map((r) => ratingEvent('shop', r, { scale: 'nps', ts: now - d * DAY }))),
      ...[3, 4, 1].map((r) => ratingEvent('shop', r, { scale: 'emoji', ts: now - 2 * MINUTE })),
      ratingEvent('shop', 1, { comment: 'Still waiting for my refund after three weeks, checkout broken' }),
      ratingEvent('shop', 2, { comment: 'Checkout broken again, refund please' }),
      ratingEvent('shop', 5, { comment: 'Lovely shop, fast delivery' }),
    ];
    await postEvents(`${dash.server.url}/v1/events`, events);
    seeded = events.length;
  }

  async function open(options: { colorScheme?: 'light' | 'dark'; width?: number } = {}): Promise<Page> {
    await seed();
    const page = await (await dash.browser.newContext({ colorScheme: options.colorScheme ?? 'light', viewport: { width: options.width ?? 1280, height: 900 } })).newPage();
    await page.goto(`${dash.server.url}/dashboard`);
    await page.waitForFunction((n) => Number(document.body.dataset.processed) >= n, seeded, { timeout: 15_000 });
    await page.locator('#conn-text', { hasText: 'live' }).waitFor();
    return page;
  }
  const violations = async (page: Page) => (await new AxeBuilder({ page }).withTags(TAGS).analyze()).violations
    .map((v) => `${v.id}: ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join(' | ')}`);

  /** Lowest contrast of a colour property of the `selector` elements (blended over `against`'s background) with that background. */
  const contrast = (page: Page, selector: string, property: 'outlineColor' | 'fill' | 'stroke', against: string) => page.evaluate(([sel, prop, bg]) => {
    // rgb()/rgba() or color(srgb r g b / a), as Chromium reports computed colours.
    const parse = (c: string) => {
      const n = (c.match(/[\d.]+/g) ?? []).map(Number);
      const [r, g, b, a = 1] = c.startsWith('color(') ? [n[0] * 255, n[1] * 255, n[2] * 255, n[3]] : n;
      return { rgb: [r, g, b], a };
    };
    const lum = (rgb: number[]) => {
      const [r, g, b] = rgb.map((v) => { const x = v / 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const back = parse(getComputedStyle(document.querySelector(bg)!).backgroundColor).rgb;
    const ratios = [...document.querySelectorAll(sel)].map((node) => {
      const colour = parse(getComputedStyle(node)[prop]);
      const shown = colour.rgb.map((v, i) => v * colour.a + back[i] * (1 - colour.a));
      const [hi, lo] = [lum(shown), lum(back)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    });
    return ratios.length ? Math.min(...ratios) : 0;
  }, [selector, property, against] as const);

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`${colorScheme}: no axe violations with data, live`, async () => {
      const page = await open({ colorScheme });
      expect(await violations(page)).toEqual([]);
      // axe cannot see focus rings: the one on a button must reach 3:1 against the header.
      await page.locator('#simulate').focus();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      expect(await contrast(page, '#simulate', 'outlineColor', 'header')).toBeGreaterThanOrEqual(3);
      // Nor can it judge graphics (1.4.11): bars, columns, gauge bands and lines against their card.
      const card = 'article.card';
      for (const [selector, property] of [['#chart-days rect.volume', 'fill'], ['.columns .col', 'fill'], ['#nps-gauge .band', 'stroke'],
        ['.meter .fill', 'fill'], ['#chart-days path.line', 'stroke'], ['#sentiment-bar rect', 'fill']] as const) {
        expect(await contrast(page, selector, property, card), selector).toBeGreaterThanOrEqual(3);
      }
      await page.context().close();
    });
  }

  it('320 px wide: no axe violations and no sideways scrolling', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await open({ colorScheme, width: 320 });
      expect(await violations(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      await page.context().close();
    }
  });

  it('the charts have text alternatives holding the numbers the view has', async () => {
    const page = await open();
    const view = await (await fetch(`${dash.server.url}/dashboard/view.json`)).json() as DashboardView;
    const text = async (selector: string) => (await page.locator(selector).evaluate((n) => n.textContent ?? '')).replace(/\s+/g, ' ');
    const label = (selector: string) => page.locator(selector).getAttribute('aria-label');

    expect(view.nps.score).not.toBeNull();
    expect(await label('#nps-gauge')).toContain(String(view.nps.score));
    const npsDays = view.nps.perDay.filter((d) => d.score !== null);
    expect(npsDays.length).toBe(2);
    const npsTable = await text('#nps-trend-table');
    for (const d of npsDays) expect(npsTable).toContain(String(d.score));

    const stars = view.ratings.find((r) => r.scale === 'stars')!;
    const minutes = await text('#minutes-table');
    for (const m of stars.perMinute.filter((p) => p.count)) expect(minutes).toContain(m.average!.toFixed(2));
    const days = await text('#days-table');
    expect(stars.perDay.length).toBe(4);
    for (const d of stars.perDay) {
      expect(days).toContain(d.day);
      expect(days).toContain(d.average!.toFixed(2));
    }
    // The charts themselves are pictures of those tables, hidden from the accessibility tree.
    for (const chart of ['#chart-minutes', '#chart-days', '#nps-trend']) expect(await page.locator(chart).getAttribute('aria-hidden'), chart).toBe('true');
    const nps = view.ratings.find((r) => r.scale === 'nps')!;
    const npsColumns = (await label('.dist-block svg.columns')) ?? '';
    nps.distribution.forEach((count, answer) => expect(npsColumns).toContain(`${answer}: ${count}`));
    expect(await label('#sentiment-bar')).toContain(`${view.sentiment.labels.negative} negative`);
    await page.context().close();
  });

  it('small things: gauge marker clear of its end labels, an axis for the bars, the source in full', async () => {
    const page = await open({ width: 900 });
    // A string, not a function: the test runner would rewrite a dynamic import() in a function.
    const overlaps = await page.evaluate(`(async () => {
      const { npsGauge } = await import('/dashboard/assets/charts.js');
      const gauge = document.getElementById('nps-gauge');
      const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      return [-100, 0, 100].flatMap((score) => {
        npsGauge(gauge, score);
        const marker = gauge.querySelector('.marker').getBoundingClientRect();
        return [...gauge.querySelectorAll('text.tick')].filter((t) => hit(marker, t.getBoundingClientRect())).map((t) => score + ': ' + t.textContent);
      });
    })()`);
    expect(overlaps).toEqual([]);
    // The bars' count axis: the busiest day's count at the right of the per-day chart.
    const view = await (await fetch(`${dash.server.url}/dashboard/view.json`)).json() as DashboardView;
    const busiest = Math.max(...[...new Set(view.ratings.flatMap((r) => r.perDay.map((d) => d.day)))]
      .map((day) => view.ratings.reduce((n, r) => n + (r.perDay.find((d) => d.day === day)?.count ?? 0), 0)));
    expect(await page.locator('#chart-days text.tick[text-anchor="start"]').allTextContents()).toContain(String(busiest));
    const source = page.locator('#source');
    expect(await source.getAttribute('title')).toBe(view.source);
    expect(await page.locator('.meta').evaluate((m) => m.scrollWidth <= m.clientWidth && getComputedStyle(m).textOverflow !== 'ellipsis')).toBe(true);
    await page.context().close();
  });

  it('word pairs are only words that stand together, without number words', async () => {
    await seed();
    const view = await (await fetch(`${dash.server.url}/dashboard/view.json`)).json() as DashboardView;
    const pairs = view.negativeWords.phrases.map((p) => p.term);
    expect(pairs).toContain('checkout broken');
    expect(pairs.filter((p) => /\b(three|refund three)\b/.test(p))).toEqual([]);
    expect(view.negativeWords.words.map((w) => w.term)).not.toContain('three');
  });

  it('Pause holds the screen still and Resume brings it up to date', async () => {
    const page = await open();
    const pause = page.getByRole('button', { name: /pause updates/i });
    await pause.click();
    expect(await pause.getAttribute('aria-pressed')).toBe('true');
    const before = await page.locator('body').getAttribute('data-processed');
    await postEvents(`${dash.server.url}/v1/events`, [ratingEvent('shop', 4)]);
    await page.waitForTimeout(1500);
    expect(await page.locator('body').getAttribute('data-processed')).toBe(before);
    await pause.click();
    expect(await pause.getAttribute('aria-pressed')).toBe('false');
    await page.locator(`body[data-processed="${Number(before) + 1}"]`).waitFor({ timeout: 5000 });
    await page.context().close();
  });
  it('a lost connection is announced once, and so is its return', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-dash-a11y-restart-'));
    const options = { host: '127.0.0.1', dataDir, collector: { log: false, rateLimit: false } } as const;
    const first = await startFeedpulseServer({ ...options, port: 0 }, {});
    const page = await (await dash.browser.newContext()).newPage();
    try {
      await page.goto(`${first.url}/dashboard`);
      await page.locator('#conn-text', { hasText: 'live' }).waitFor();
      await page.evaluate(() => {
        const w = window as unknown as { said: string[] };
        w.said = [];
        const region = document.getElementById('announce')!;
        new MutationObserver(() => w.said.push(region.textContent ?? '')).observe(region, { childList: true, characterData: true, subtree: true });
      });
      await first.close();
      await page.locator('#announce', { hasText: /connection lost/i }).waitFor({ timeout: 15_000 });
      // The stream keeps retrying while down: still the one message, not one per try.
      await page.waitForTimeout(4000);
      expect(await page.evaluate(() => (window as unknown as { said: string[] }).said)).toEqual(['Connection lost. Reconnecting…']);
      const second = await startFeedpulseServer({ ...options, port: first.port }, {});
      try {
        await page.locator('#announce', { hasText: /connection restored/i }).waitFor({ timeout: 15_000 });
      } finally { await second.close(); }
    } finally {
      await page.context().close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('Simulate: focus stays on the page, live regions speak rarely, axe passes while it runs', async () => {
    const page = await open();
    // Every text change of anything announced (live regions and role=status), counted in the page.
    await page.evaluate(() => {
      const w = window as unknown as { spoken: string[] };
      w.spoken = [];
      const regions = [...document.querySelectorAll('[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"]')];
      const observer = new MutationObserver((records) => {
        for (const r of records) {
          const region = regions.find((n) => n.contains(r.target));
          if (region) w.spoken.push(region.textContent ?? '');
        }
      });
      for (const region of regions) observer.observe(region, { childList: true, characterData: true, subtree: true });
    });
    await page.locator('#simulate').focus();
    await page.keyboard.press('Enter');
    await page.locator('#simulate[aria-disabled="true"]').waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('simulate');
    expect(await violations(page)).toEqual([]);
    await page.waitForTimeout(3000);
    const spoken = await page.evaluate(() => (window as unknown as { spoken: string[] }).spoken);
    // Before: ~10 rewrites a second of an atomic polite region. Now: the start, and little else.
    expect(spoken.length, spoken.join(' / ')).toBeLessThanOrEqual(3);
    expect(spoken.join(' ')).toMatch(/simulation started/i);
    // Pressing it again while it runs does nothing and says why, without losing focus.
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('simulate');
    await page.context().close();
  }, 120_000);

});
