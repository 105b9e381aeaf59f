// The widget and the host page leave each other alone: hostile host CSS does not change the widget
// (computed styles compared), the widget's CSS does not reach the host, a strict CSP page shows no
// violation and a styled widget (also through the no-adoptedStyleSheets fallback), and the panel sits
// above host modals and z-index overlays (top layer).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../helpers/browser';
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint';
import { feedbackReceived, widgetPage, widgetBuilt, STRICT_CSP, WHITE } from './widget-harness';

const PROPS = ['font-size', 'font-family', 'color', 'background-color', 'padding-top', 'width', 'height', 'display',
  'letter-spacing', 'line-height', 'visibility', 'border-radius', 'text-transform', 'box-sizing', 'fill', 'position'];
const HOSTILE = '<link rel="stylesheet" href="/test/fixtures/widget-hostile.css">';

/** Computed styles of every element in the widget (launcher, panel open, one choice made). */
async function widgetStyles(page: Page) {
  await page.getByRole('button', { name: 'Feedback' }).click();
  await page.getByRole('radio').nth(2).click();
  return page.locator('feedpulse-widget').evaluate((host, props) => {
    const all = [host, ...Array.from(host.shadowRoot!.querySelectorAll('*'))];
    return all.map((el) => {
      const style = getComputedStyle(el);
      return `${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''}: ${props.map((p) => `${p}=${style.getPropertyValue(p)}`).join('; ')}`;
    });
  }, PROPS);
}

describe.skipIf(!hasChromium || !widgetBuilt)('widget isolation and CSP (Chromium, real build)', () => {
  let browser: Browser;
  let ep: TestEndpoint;
  beforeAll(async () => { [browser, ep] = await Promise.all([launchChromium(), startEndpoint()]); });
  afterAll(async () => { await browser?.close(); await ep?.close(); });

  it('hostile host CSS does not reach the widget', async () => {
    const calm = await widgetPage(browser, ep, {});
    const hostile = await widgetPage(browser, ep, {}, { head: HOSTILE });
    expect(await hostile.evaluate(() => getComputedStyle(document.querySelector('#host-button')!).fontSize)).toBe('40px');
    const [a, b] = [await widgetStyles(calm), await widgetStyles(hostile)];
    expect(a.length).toBeGreaterThan(15);
    expect(b).toEqual(a);
    // And it still works.
    await hostile.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => hostile.getByRole('status').textContent()).toContain('Thank you');
    await calm.context().close();
    await hostile.context().close();
  });

  it('the widget changes nothing in the host page', async () => {
    const hostStyles = (page: Page) => page.evaluate((props) =>
      Array.from(document.querySelectorAll('body, h1, button, p'))
        .map((el) => props.map((p) => getComputedStyle(el).getPropertyValue(p)).join(';')), PROPS);
    const without = await widgetPage(browser, ep, {}, { body: '<p>Text</p>' });
    const before = await hostStyles(without);
    await without.evaluate(() => (window as unknown as { fp: { shutdown(): Promise<void> } }).fp.shutdown());
    expect(await without.locator('feedpulse-widget').count()).toBe(0); // shutdown() unmounts
    const unmounted = await hostStyles(without);
    const withWidget = await widgetPage(browser, ep, {}, { body: '<p>Text</p>' });
    await withWidget.getByRole('button', { name: 'Feedback' }).click();
    expect(await hostStyles(withWidget)).toEqual(unmounted);
    expect(before).toEqual(unmounted);
    expect(await withWidget.evaluate(() => document.styleSheets.length)).toBe(0); // no global CSS added
    await without.context().close();
    await withWidget.context().close();
  });

  for (const fallback of [false, true]) {
    it(`strict CSP (no 'unsafe-inline'): no violation, widget styled${fallback ? ' — without adoptedStyleSheets (CSSOM fallback)' : ''}`, async () => {
      const page = await widgetPage(browser, ep, { project: `csp-${fallback}` }, {
        initScript: fallback
          ? () => { delete (ShadowRoot.prototype as { adoptedStyleSheets?: unknown }).adoptedStyleSheets; }
          : undefined,
      });
      const launcher = page.getByRole('button', { name: 'Feedback' });
      const style = await launcher.evaluate((el) => {
        const s = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        return { bg: s.backgroundColor, color: s.color, position: s.position, right: innerWidth - r.right, bottom: innerHeight - r.bottom };
      });
      expect(style).toEqual({ bg: 'rgb(91, 91, 214)', color: expect.toBeOneOf(WHITE), position: 'fixed', right: 16, bottom: 16 });
      const adopted = await page.locator('feedpulse-widget').evaluate((h) => (h.shadowRoot as ShadowRoot & { adoptedStyleSheets?: unknown[] }).adoptedStyleSheets?.length ?? -1);
      expect(adopted).toBe(fallback ? -1 : 1);
      await launcher.click();
      await page.getByRole('radio', { name: '4 stars' }).click();
      const star = await page.getByRole('radio', { name: '4 stars' }).evaluate((el) => getComputedStyle(el).color);
      expect(star).toBe('rgb(91, 91, 214)');
      await page.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Thank you');
      await expect.poll(() => feedbackReceived(ep).length).toBeGreaterThan(0);
      const violations = () => page.evaluate(() => (window as unknown as { fpViolations: string[] }).fpViolations);
      expect(await violations()).toEqual([]);
      // Control: the listener does see a violation from inside a shadow root (a <style> element).
      await page.evaluate(() => {
        const box = document.createElement('div');
        document.body.append(box);
        box.attachShadow({ mode: 'open' }).innerHTML = '<style>p{color:red}</style>';
      });
      await expect.poll(violations).toEqual([expect.stringContaining('style-src')]);
      await page.context().close();
    });
  }

  it('strict CSP with the script tag (dist/feedpulse.min.js): no violation, styled, submits', async () => {
    ep.page('/widget-script-tag.html', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script src="/test/fixtures/widget-csp-watch.js"></script>
<script src="/dist/feedpulse.min.js" async data-endpoint="${ep.url}" data-project="csp-tag" data-scale="emoji"
  data-autocapture="off" data-accent="#0a7d32"></script></head><body><h1>Shop</h1></body></html>`,
    { 'content-security-policy': STRICT_CSP });
    const context = await browser.newContext({ reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.goto(`${ep.origin}/widget-script-tag.html`);
    const launcher = page.getByRole('button', { name: 'Feedback' });
    await launcher.waitFor();
    expect(await launcher.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(10, 125, 50)');
    await launcher.click();
    await page.getByRole('radio', { name: 'Very satisfied' }).click();
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Thank you');
    await expect.poll(() => ep.received.some((r) => r.body.includes('"csp-tag"') && r.body.includes('"emoji"'))).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { fpViolations: string[] }).fpViolations)).toEqual([]);
    await context.close();
  });

  it('the panel sits above a host modal dialog and a max z-index overlay (top layer)', async () => {
    const page = await widgetPage(browser, ep, { trigger: 'manual' }, {
      head: HOSTILE,
      body: '<div id="overlay"></div><dialog id="host-modal"><p>Host modal</p><button>OK</button></dialog>',
    });
    await page.evaluate(() => (document.getElementById('host-modal') as HTMLDialogElement).showModal());
    await page.evaluate(() => (window as unknown as { fp: { open(): void } }).fp.open());
    await expect.poll(() => page.getByRole('dialog', { name: 'How was your experience?' }).isVisible()).toBe(true);
    const topmost = await page.locator('feedpulse-widget dialog').evaluate((d) => {
      const r = d.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return hit?.tagName.toLowerCase();
    });
    expect(topmost).toBe('feedpulse-widget');
    await page.getByRole('radio', { name: '5 stars' }).click(); // really clickable
    expect(await page.getByRole('radio', { name: '5 stars' }).getAttribute('aria-checked')).toBe('true');
    await page.context().close();
  });
});
