// The widget on the demo shop (demo/index.html on the real demo server): the launcher never hides
// the shop's own "Add to cart" buttons when they get keyboard focus (WCAG 2.4.11), it does not wear
// the same colour as them, and the demo's English follow-up inside the Arabic widget says its language.
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { hasChromium } from '../helpers/browser';
import { useDashboard } from '../helpers/dashboard';

const haveBundle = existsSync('dist/feedpulse.min.js');

describe.skipIf(!hasChromium || !haveBundle)('the widget on the demo shop (Chromium)', () => {
  const demo = useDashboard('fp-demo-widget-', { root: process.cwd() });
  let base: string;
  beforeAll(() => { base = demo.server.url.replace('localhost', '127.0.0.1'); });

  const open = async (query: string, viewport = { width: 1280, height: 720 }): Promise<Page> => {
    const page = await (await demo.browser.newContext({ viewport })).newPage();
    await page.goto(`${base}/${query}`);
    await page.locator('feedpulse-widget .launcher').waitFor();
    await page.locator('.add').first().waitFor();
    return page;
  };

  for (const viewport of [{ width: 1280, height: 720 }, { width: 390, height: 700 }]) {
    it(`${viewport.width}×${viewport.height}: every Add to cart, focused from the keyboard, is clear of the launcher, which has another colour`, async () => {
      const page = await open('', viewport);
      const launcher = await page.locator('feedpulse-widget .launcher').evaluate((el) => {
        const r = el.getBoundingClientRect();
        return { top: r.top, left: r.left, right: r.right, bottom: r.bottom, background: getComputedStyle(el).backgroundColor };
      });
      const covered: string[] = [];
      const count = await page.locator('.add').count();
      for (let i = 0; i < count; i++) {
        await page.locator('.add').nth(i).focus();
        const r = await page.locator('.add').nth(i).evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect);
        const overlaps = r.left < launcher.right && r.right > launcher.left && r.top < launcher.bottom && r.bottom > launcher.top;
        if (overlaps) covered.push(await page.locator('.add').nth(i).getAttribute('aria-label') ?? String(i));
      }
      expect(count).toBeGreaterThan(3);
      expect(covered).toEqual([]);
      const shop = await page.locator('.add').first().evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(shop).not.toBe(launcher.background);
      await page.context().close();
    });
  }

  it('Arabic variant: the demo\'s English follow-up has lang="en" and reads left to right', async () => {
    const page = await open('?scale=nps&locale=ar');
    await page.locator('feedpulse-widget .launcher').click();
    await page.getByRole('radio', { name: '2', exact: true }).click();
    const label = await page.locator('feedpulse-widget label').evaluate((el) => [el.textContent, (el as HTMLElement).lang, getComputedStyle(el).direction]);
    expect(label).toEqual(['Sorry to hear that. What went wrong?', 'en', 'ltr']);
    await page.context().close();
  });
});
