// The script tag (dist/feedpulse.min.js) keeps English inline and loads other languages from
// dist/locales/<lang>.js next to itself, under the strict CSP; the panel opened before the file
// arrives still shows only that language; a missing file gives one warning and English.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { hasChromium, launchChromium } from '../helpers/browser';
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint';
import { STRICT_CSP } from './widget-harness';

const built = existsSync('dist/feedpulse.min.js') && existsSync('dist/locales/de.js');

describe.skipIf(!hasChromium || !built)('script-tag locale files (Chromium, real build)', () => {
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

  async function tagPage(attrs: string, delayLocales = 0, fail = false) {
    const path = `/widget-locale-${++n}.html`;
    ep.page(path, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script src="/test/fixtures/widget-csp-watch.js"></script>
<script src="/dist/feedpulse.min.js" data-endpoint="${ep.url}" data-project="locale-tag" data-autocapture="off" ${attrs}></script>
</head><body><h1>Shop</h1></body></html>`, { 'content-security-policy': STRICT_CSP });
    const context = await browser.newContext({ reducedMotion: 'reduce' });
    const page = await context.newPage();
    const warnings: string[] = [];
    const locales: string[] = [];
    page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
    if (delayLocales || fail) {
      await page.route('**/dist/locales/**', async (route) => {
        locales.push(new URL(route.request().url()).pathname);
        await new Promise((r) => setTimeout(r, delayLocales));
        await (fail ? route.fulfill({ status: 404, body: 'no' }) : route.continue());
      });
    }
    await page.goto(`${ep.origin}${path}`);
    return { page, warnings, locales, close: () => context.close() };
  }

  it('German comes from /dist/locales/de.js; open() before it arrives shows German only', async () => {
    const { page, warnings, locales, close } = await tagPage('data-locale="de-AT" data-scale="thumbs"', 500);
    // Asked for at once, while the file is still on its way.
    await page.evaluate(() => (window as unknown as { feedpulse: { open(): void } }).feedpulse.open());
    const dialog = page.getByRole('dialog', { name: 'Wie war Ihre Erfahrung?' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByRole('radio', { name: 'Daumen hoch' }).count()).toBe(1);
    expect(await dialog.getByRole('button', { name: 'Senden' }).count()).toBe(1);
    expect(await page.getByText('How was your experience?').count()).toBe(0);
    expect(locales).toEqual(['/dist/locales/de.js']);
    expect(warnings.filter((w) => w.includes('feedpulse'))).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { fpViolations: string[] }).fpViolations)).toEqual([]);
    await close();
  });

  it('Arabic loads and lays the panel out right to left', async () => {
    const { page, close } = await tagPage('data-locale="ar"');
    const launcher = page.getByRole('button', { name: 'ملاحظات' });
    await launcher.click();
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(true);
    expect(await page.locator('feedpulse-widget').evaluate((h) => h.shadowRoot!.querySelector('[dir]')!.getAttribute('dir'))).toBe('rtl');
    await close();
  });

  it('English needs no locale file', async () => {
    const { page, locales, close } = await tagPage('data-locale="en"', 1);
    await page.getByRole('button', { name: 'Feedback' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'How was your experience?' }).isVisible()).toBe(true);
    expect(locales).toEqual([]);
    await close();
  });

  it('a locale file that fails to load: one warning, English', async () => {
    const { page, warnings, locales, close } = await tagPage('data-locale="fr"', 0, true);
    await page.getByRole('button', { name: 'Feedback' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'How was your experience?' }).isVisible()).toBe(true);
    await expect.poll(() => warnings.filter((w) => w.includes('feedpulse'))).toEqual(['feedpulse: locale "fr" could not be loaded; using English']);
    expect(locales).toEqual(['/dist/locales/fr.js']);
    await close();
  });
});
