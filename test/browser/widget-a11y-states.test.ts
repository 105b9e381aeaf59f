// Every state of the widget under axe (launcher alone, open and unrated with the Send hint, chosen,
// thanks, saved offline; the failed state needs a feedback() that rejects, which the real client's never does), in both themes and both directions, plus what axe cannot
// judge: the attributes that tie texts to controls (Send's hint, the NPS end labels), dir/lang of
// the site's own texts and of the comment, focus-ring contrast on light and dark host pages, the
// disabled Send's text contrast and the emoji glyphs' size.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../helpers/browser';
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint';
import { widgetPage, widgetBuilt } from './widget-harness';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

type Rgb = [number, number, number, number];
/** A computed colour (`rgb(…)`/`rgba(…)`) as r, g, b, alpha. */
const rgb = (css: string): Rgb => {
  const [r, g, b, a = 1] = css.match(/[\d.]+/g)!.map(Number);
  return [r, g, b, a];
};
/** `top` painted over the opaque `under` at opacity `alpha`. */
const over = (top: Rgb, under: Rgb, alpha = top[3]): Rgb =>
  [0, 1, 2].map((i) => top[i] * alpha + under[i] * (1 - alpha)).concat(1) as Rgb;
const luminance = (c: Rgb) => {
  const [r, g, b] = c.slice(0, 3).map((v) => (v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
/** WCAG contrast ratio of two opaque colours. */
const contrast = (a: Rgb, b: Rgb) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

/** `fn` on the first element matching `selector` inside the widget (Playwright's CSS pierces its
 *  open shadow root), or null when there is none. */
const inWidget = async <R>(page: Page, selector: string, fn: (el: HTMLElement) => R): Promise<R | null> => {
  const found = page.locator(`feedpulse-widget ${selector}`);
  return (await found.count()) ? found.first().evaluate(fn as (el: Element) => R) : null;
};

/** The text of the elements an element's aria-describedby names (same shadow root). */
const descriptionOf = (page: Page, selector: string) =>
  inWidget(page, selector, (el) => (el.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean)
    .map((id) => (el.getRootNode() as ShadowRoot).getElementById(id)?.textContent ?? `#${id} missing`).join(' '));

describe.skipIf(!hasChromium || !widgetBuilt)('widget accessibility in every state (Chromium)', () => {
  let browser: Browser;
  let ep: TestEndpoint;
  beforeAll(async () => { [browser, ep] = await Promise.all([launchChromium(), startEndpoint()]); });
  afterAll(async () => { await browser?.close(); await ep?.close(); });

  const scan = async (page: Page, state: string) => {
    const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    const inside = result.passes.flatMap((p) => p.nodes).filter((n) => JSON.stringify(n.target).includes('feedpulse-widget'));
    expect(inside.length, `${state}: axe looked inside the widget`).toBeGreaterThan(0);
    return result.violations.map((v) => `${state}: ${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  };

  for (const theme of ['light', 'dark'] as const) {
    for (const locale of ['en', 'ar']) {
      it(`NPS, ${theme}, ${locale}: no axe violations in any state; Send's hint and the end labels are tied to their controls`, async () => {
        const page = await widgetPage(browser, ep, { scale: 'nps', theme, locale });
        const found: string[] = [];
        found.push(...await scan(page, 'launcher'));
        await page.locator('feedpulse-widget .launcher').click();
        await page.getByRole('dialog').waitFor();
        found.push(...await scan(page, 'unrated'));
        // Unrated: Send stays focusable, says it is unavailable and why.
        const hint = locale === 'en' ? 'Choose a rating first' : 'اختر تقييمًا أولًا';
        expect(await inWidget(page, '.send', (el) => el.getAttribute('aria-disabled'))).toBe('true');
        expect(await descriptionOf(page, '.send')).toBe(hint);
        expect(await inWidget(page, '#fp-h', (el) => el.checkVisibility())).toBe(true);
        expect(await inWidget(page, 'textarea', (el) => el.getAttribute('dir'))).toBe('auto');
        expect(await descriptionOf(page, '[role=radio]:first-child')).toBe(locale === 'en' ? 'Not likely' : 'غير محتمل');
        expect(await descriptionOf(page, '[role=radio]:last-child')).toBe(locale === 'en' ? 'Very likely' : 'محتمل جدًا');
        expect(await descriptionOf(page, '[role=radio]:nth-child(5)')).toBe('');
        // A click on the unavailable Send sends nothing (force: Playwright itself will not click it).
        await page.locator('feedpulse-widget .send').click({ force: true });
        expect(await inWidget(page, '.send', (el) => el.getAttribute('aria-disabled'))).toBe('true');

        await page.getByRole('radio').nth(3).click();
        found.push(...await scan(page, 'chosen'));
        expect(await inWidget(page, '.send', (el) => [el.getAttribute('aria-disabled'), el.getAttribute('aria-describedby')])).toEqual(['false', null]);
        expect(await inWidget(page, '#fp-h', () => true)).toBe(null);

        await page.locator('feedpulse-widget .send').click();
        await page.getByRole('status').waitFor();
        found.push(...await scan(page, 'thanks'));
        await page.keyboard.press('Escape');
        await page.context().setOffline(true);
        await page.locator('feedpulse-widget .launcher').click();
        await page.getByRole('radio').nth(3).click();
        await page.locator('feedpulse-widget .send').click();
        await page.getByRole('status').waitFor();
        expect(await inWidget(page, '.status', (el) => el.textContent)).toMatch(locale === 'en' ? /back online/ : /الإنترنت/);
        found.push(...await scan(page, 'saved offline'));
        expect(found).toEqual([]);
        await page.context().close();
      });
    }
  }

  it("the site's own texts in another language get dir=auto, and customLocale's lang", async () => {
    const followUp = { low: 'Sorry to hear that. What went wrong?' };
    const read = async (config: object) => {
      const page = await widgetPage(browser, ep, { scale: 'stars', locale: 'ar', followUp, ...config });
      await page.locator('feedpulse-widget .launcher').click();
      await page.getByRole('radio').first().click();
      const label = await inWidget(page, 'label', (el) => [el.textContent, el.getAttribute('dir'), el.lang, getComputedStyle(el).direction]);
      const question = await inWidget(page, 'h2', (el) => [el.lang, getComputedStyle(el).direction]);
      await page.context().close();
      return { label, question };
    };
    // The English follow-up reads left to right inside the Arabic widget ("Sorry …?", not "?Sorry …").
    expect(await read({ customLocale: 'en' })).toEqual({ label: [followUp.low, 'auto', 'en', 'ltr'], question: ['ar', 'rtl'] });
    expect((await read({})).label).toEqual([followUp.low, 'auto', 'ar', 'ltr']);
  });

  for (const theme of ['light', 'dark'] as const) {
    for (const [host, background] of [['light', '#ffffff'], ['dark', '#121212']] as const) {
      it(`${theme} theme on a ${host} host page: the launcher's focus ring stands out (≥ 3:1)`, async () => {
        const page = await widgetPage(browser, ep, { theme }, { csp: false, head: `<style>html,body{background:${background}}</style>` });
        for (let i = 0; i < 5 && !(await inWidget(page, '.launcher', (el) => el.matches(':focus-visible'))); i++) await page.keyboard.press('Tab');
        const ring = await inWidget(page, '.launcher', (el) => {
          const s = getComputedStyle(el);
          return { outline: s.outlineColor, width: s.outlineWidth, style: s.outlineStyle, shadow: s.boxShadow, focused: el.matches(':focus-visible') };
        });
        expect(ring!.focused).toBe(true);
        expect(ring!.style).toBe('solid');
        const page_ = rgb(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
        // Ring bands: the outline, and a box-shadow that is a solid band (no blur, a spread).
        const bands = [rgb(ring!.outline)];
        for (const m of ring!.shadow.matchAll(/(rgba?\([^)]*\)) (-?[\d.]+)px (-?[\d.]+)px ([\d.]+)px ([\d.]+)px/g)) {
          if (m[4] === '0' && Number(m[5]) >= 1) bands.push(rgb(m[1]));
        }
        const best = Math.max(...bands.map((band) => contrast(over(band, page_), page_)));
        expect(best, `ring bands ${JSON.stringify(bands)} on ${background}`).toBeGreaterThanOrEqual(3);
        await page.context().close();
      });
    }
  }

  for (const theme of ['light', 'dark'] as const) {
    it(`${theme}: the unavailable Send's text is readable (≥ 4.5:1), and the emoji glyphs are large and bold`, async () => {
      const page = await widgetPage(browser, ep, { scale: 'emoji', theme });
      await page.locator('feedpulse-widget .launcher').click();
      const look = await inWidget(page, '.send', (el) => {
        const s = getComputedStyle(el);
        const panel = getComputedStyle(el.closest('dialog')!).backgroundColor;
        return { color: s.color, background: s.backgroundColor, opacity: s.opacity, panel };
      });
      const panel = rgb(look!.panel);
      const opacity = Number(look!.opacity);
      const background = over(over(rgb(look!.background), panel), panel, opacity);
      const text = over(over(rgb(look!.color), over(rgb(look!.background), panel)), panel, opacity);
      expect(contrast(text, background)).toBeGreaterThanOrEqual(4.5);
      const glyphs = await page.locator('feedpulse-widget').evaluate((host) =>
        Array.from(host.shadowRoot!.querySelectorAll('[role=radio] svg'), (svg) => [svg.getBoundingClientRect().width, parseFloat(getComputedStyle(svg).strokeWidth), svg.innerHTML] as const));
      expect(glyphs).toHaveLength(5);
      for (const [width, stroke] of glyphs) {
        expect(width).toBeGreaterThanOrEqual(30);
        expect(stroke).toBeGreaterThanOrEqual(2);
      }
      expect(new Set(glyphs.map(([, , drawing]) => drawing)).size).toBe(5);
      await page.context().close();
    });
  }
});
