// The script tag's panel file: dist/feedpulse.min.js draws the launcher at once and loads
// dist/feedpulse-panel.js (Preact, the form, its CSS) by import() only after `load`, under the strict
// CSP. A click or open() before the file arrives opens the panel when it does; a failed load warns
// and the next open() tries again; once loaded the panel works offline.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import type { Browser, Route } from 'playwright-core';
import { hasChromium, launchChromium } from '../helpers/browser';
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint';
import { STRICT_CSP, feedbackReceived } from './widget-harness';

const built = existsSync('dist/feedpulse.min.js') && existsSync('dist/feedpulse-panel.js');
const PANEL = '/dist/feedpulse-panel.js';
type Fp = { feedpulse: { open(): void } };

describe.skipIf(!hasChromium || !built)('script-tag panel file (Chromium, real build)', () => {
  let browser: Browser;
  let ep: TestEndpoint;
  let n = 0;
  beforeAll(async () => {
    browser = await launchChromium();
    ep = await startEndpoint();
  });
  afterAll(async () => {
    await browser?.close();
    await ep?.close();
  });

  /** A strict-CSP page with the tag; `panel` answers the panel file's requests. */
  async function tagPage(project: string, panel?: (route: Route) => Promise<void>) {
    const path = `/embed-panel-${++n}.html`;
    ep.page(path, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script src="/test/fixtures/widget-csp-watch.js"></script>
<script src="/dist/feedpulse.min.js" data-endpoint="${ep.url}" data-project="${project}" data-autocapture="off" data-flush-interval="50"></script>
</head><body><h1>Shop</h1></body></html>`, { 'content-security-policy': STRICT_CSP });
    const context = await browser.newContext({ reducedMotion: 'reduce' });
    const page = await context.newPage();
    const warnings: string[] = [];
    const events: string[] = [];
    page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
    page.on('request', (r) => { if (new URL(r.url()).pathname === PANEL) events.push('panel requested'); });
    page.on('load', () => events.push('load'));
    if (panel) await page.route(`**${PANEL}`, panel);
    await page.goto(`${ep.origin}${path}`);
    const violations = () => page.evaluate(() => (window as unknown as { fpViolations: string[] }).fpViolations);
    return { page, warnings, events, violations, close: () => context.close() };
  }

  it('the launcher is there at once; the panel file comes after load, and the panel opens without a wait', async () => {
    const { page, events, warnings, violations, close } = await tagPage('panel-idle');
    await page.getByRole('button', { name: 'Feedback' }).waitFor();
    await expect.poll(() => events.includes('panel requested')).toBe(true);
    expect(events.indexOf('load')).toBeLessThan(events.indexOf('panel requested'));
    // Loaded and idle: a click shows the dialog within one frame or two.
    await page.waitForTimeout(200);
    const ms = await page.evaluate(async () => {
      const host = document.querySelector('feedpulse-widget')!.shadowRoot!;
      const t0 = performance.now();
      (host.querySelector('.launcher') as HTMLElement).click();
      for (;;) {
        await new Promise(requestAnimationFrame);
        if (host.querySelector('dialog')?.open) return performance.now() - t0;
      }
    });
    expect(ms).toBeLessThan(100);
    await page.getByRole('radio', { name: '5 stars' }).click();
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Thank you');
    await expect.poll(() => feedbackReceived(ep).some((f) => f.rating === 5)).toBe(true);
    expect(warnings.filter((w) => w.includes('feedpulse'))).toEqual([]);
    expect(await violations()).toEqual([]);
    await close();
  });

  it('a click before the panel file has arrived opens the panel when it does', async () => {
    let release: () => void = () => {};
    const arrived = new Promise<void>((resolve) => { release = resolve; });
    // The file is held back until release().
    const { page, close } = await tagPage('panel-early', async (route) => {
      await arrived;
      await route.continue();
    });
    const launcher = page.getByRole('button', { name: 'Feedback' });
    await launcher.click();
    await page.waitForTimeout(300);
    expect(await page.getByRole('dialog').count()).toBe(0);
    release();
    await expect.poll(() => page.getByRole('dialog', { name: 'How was your experience?' }).isVisible()).toBe(true);
    await close();
  });

  it('a failed load warns once, and the next open() loads it again', async () => {
    let tries = 0;
    const { page, warnings, close } = await tagPage('panel-retry', async (route) => {
      tries++;
      await (tries === 1 ? route.fulfill({ status: 503, body: 'down' }) : route.continue());
    });
    // The load on idle fails (an open() before it would share that one request).
    await expect.poll(() => warnings.filter((w) => w.includes('panel could not be loaded')).length).toBe(1);
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.evaluate(() => (window as unknown as Fp).feedpulse.open());
    await expect.poll(() => page.getByRole('dialog', { name: 'How was your experience?' }).isVisible()).toBe(true);
    expect(tries).toBe(2);
    await close();
  });

  it('once loaded, the panel opens and keeps the answer offline', async () => {
    const { page, events, close } = await tagPage('panel-offline');
    await expect.poll(() => events.includes('panel requested')).toBe(true);
    await page.waitForFunction(() => document.querySelector('feedpulse-widget') !== null);
    await page.waitForTimeout(300);
    await page.context().setOffline(true);
    await page.getByRole('button', { name: 'Feedback' }).click();
    await page.getByRole('radio', { name: '3 stars' }).click();
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/back online/);
    await page.context().setOffline(false);
    await expect.poll(() => feedbackReceived(ep).some((f) => f.rating === 3), { timeout: 15_000 }).toBe(true);
    await close();
  });
});
