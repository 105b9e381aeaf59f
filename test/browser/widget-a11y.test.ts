// WCAG 2.2 AA checks of the open panel with axe-core (every scale, light and dark, LTR and RTL),
// plus the parts axe cannot judge alone: 24×24 px targets, Send's hint, the comment's dir=auto.
// Every other state, and focus-ring and disabled-Send contrast: widget-a11y-states.test.ts.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { hasChromium, launchChromium } from '../helpers/browser';
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint';
import { widgetPage, widgetBuilt, SCALE_NAMES } from './widget-harness';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

describe.skipIf(!hasChromium || !widgetBuilt)('widget accessibility (axe, Chromium)', () => {
  let browser: Browser;
  let ep: TestEndpoint;
  beforeAll(async () => { [browser, ep] = await Promise.all([launchChromium(), startEndpoint()]); });
  afterAll(async () => { await browser?.close(); await ep?.close(); });

  for (const scale of SCALE_NAMES) {
    for (const theme of ['light', 'dark'] as const) {
      for (const locale of ['en', 'ar']) {
        it(`${scale}, ${theme}, ${locale === 'ar' ? 'RTL' : 'LTR'}: no axe violations, open and after choosing`, async () => {
          const page = await widgetPage(browser, ep, { scale, theme, locale });
          await page.locator('feedpulse-widget .launcher').click();
          const dialog = page.getByRole('dialog');
          await dialog.waitFor();
          const scan = async () => {
            const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
            // axe really looked inside the shadow root (its targets for shadow nodes are nested arrays).
            const inside = result.passes.flatMap((p) => p.nodes).filter((n) => JSON.stringify(n.target).includes('feedpulse-widget'));
            expect(inside.length).toBeGreaterThan(10);
            return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
          };
          expect(await scan()).toEqual([]);
          // Unrated: Send is described by the visible hint; the comment box follows its own text's direction.
          const tied = await page.locator('feedpulse-widget').evaluate((host) => {
            const root = host.shadowRoot!;
            const send = root.querySelector('.send')!;
            return [send.getAttribute('aria-disabled'), root.getElementById(send.getAttribute('aria-describedby') ?? '')?.textContent, root.querySelector('textarea')!.dir];
          });
          expect(tied).toEqual(['true', locale === 'ar' ? 'اختر تقييمًا أولًا' : 'Choose a rating first', 'auto']);
          await page.getByRole('radio').last().click();
          expect(await scan()).toEqual([]);
          // Every control at least 24×24 CSS px (WCAG 2.2 target size, minimum).
          const small = await page.locator('feedpulse-widget').evaluate((host) =>
            Array.from(host.shadowRoot!.querySelectorAll('button,textarea'))
              .map((el) => [el.getAttribute('aria-label') ?? el.textContent, el.getBoundingClientRect()] as const)
              .filter(([, r]) => r.width < 24 || r.height < 24).map(([name]) => name));
          expect(small).toEqual([]);
          await page.context().close();
        });
      }
    }
  }

  for (const width of [320, 360]) {
    it(`NPS on a ${width} px wide phone: all 11 choices on one row, each at least 24×24 px`, async () => {
      const page = await widgetPage(browser, ep, { scale: 'nps' }, { context: { viewport: { width, height: 640 }, hasTouch: true } });
      await page.locator('feedpulse-widget .launcher').click();
      const boxes = await page.locator('feedpulse-widget').evaluate((host) =>
        Array.from(host.shadowRoot!.querySelectorAll('[role=radio]')).map((el) => el.getBoundingClientRect().toJSON() as DOMRect));
      expect(boxes).toHaveLength(11);
      expect(new Set(boxes.map((b) => Math.round(b.top))).size).toBe(1);
      expect(boxes.filter((b) => b.width < 24 || b.height < 24)).toEqual([]);
      expect(Math.max(...boxes.map((b) => b.right))).toBeLessThanOrEqual(width);
      await page.context().close();
    });
  }

  it('forced colours (contrast themes): the chosen option stays distinguishable', async () => {
    const page = await widgetPage(browser, ep, { scale: 'emoji' }, { context: { forcedColors: 'active' } });
    await page.locator('feedpulse-widget .launcher').click();
    await page.getByRole('radio', { name: 'Neutral' }).click();
    const look = (name: string) => page.getByRole('radio', { name, exact: true }).evaluate((el) => {
      const s = getComputedStyle(el);
      return `${s.backgroundColor} ${s.color}`;
    });
    expect(await look('Neutral')).not.toBe(await look('Satisfied'));
    await page.context().close();
  });

  it('dark theme follows prefers-color-scheme when theme is auto', async () => {
    const bg = async (colorScheme: 'light' | 'dark') => {
      const page = await widgetPage(browser, ep, { theme: 'auto' }, { context: { colorScheme } });
      await page.locator('feedpulse-widget .launcher').click();
      const value = await page.locator('feedpulse-widget .panel').evaluate((el) => getComputedStyle(el).backgroundColor);
      await page.context().close();
      return value;
    };
    expect(await bg('light')).toBe('rgb(255, 255, 255)');
    expect(await bg('dark')).toBe('rgb(31, 32, 35)');
  });

  it('the open animation runs only without prefers-reduced-motion', async () => {
    const animation = async (reducedMotion: 'reduce' | 'no-preference') => {
      const page = await widgetPage(browser, ep, {}, { context: { reducedMotion } });
      await page.locator('feedpulse-widget .launcher').click();
      const name = await page.locator('feedpulse-widget .panel').evaluate((el) => getComputedStyle(el).animationName);
      await page.context().close();
      return name;
    };
    expect(await animation('reduce')).toBe('none');
    expect(await animation('no-preference')).toBe('fp-in');
  });
});
