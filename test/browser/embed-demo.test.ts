// The demo shop (demo/index.html) on the real demo server (strict CSP, collector at /v1/events): every
// configuration link loads without a CSP violation, page error or feedpulse warning, and the main
// ones do what their link promises, with ratings answered 200 by the collector.
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { hasChromium } from '../helpers/browser';
import { useDashboard } from '../helpers/dashboard';
import { watchPage, type PageWatch } from './embed-harness';

const haveBundle = existsSync('dist/feedpulse.min.js');

describe.skipIf(!hasChromium || !haveBundle)('demo shop on the demo server (Chromium)', () => {
  const demo = useDashboard('fp-demo-', { root: process.cwd() });
  let base: string;
  beforeAll(() => { base = demo.server.url.replace('localhost', '127.0.0.1'); });

  async function visit(query: string): Promise<{ page: Page; watch: PageWatch; finish: () => Promise<void> }> {
    const context = await demo.browser.newContext();
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.addInitScript(() => {
      (window as unknown as { __violations: string[] }).__violations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { __violations: string[] }).__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(`${base}/${query}`);
    await page.waitForSelector('feedpulse-widget', { state: 'attached' });
    return {
      page, watch,
      finish: async () => {
        expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
        expect(watch.errors).toEqual([]);
        expect(watch.warnings.filter((w) => w.includes('feedpulse'))).toEqual([]);
        await context.close();
      },
    };
  }
  const feedbackAnswer = (page: Page) =>
    page.waitForResponse((r) => r.url().includes('/v1/events') && r.request().method() === 'POST' && (r.request().postData() ?? '').includes('"feedback"'), { timeout: 15_000 });

  it('every configuration link loads cleanly under the demo CSP', async () => {
    const first = await visit('');
    const links = await first.page.locator('#variants a').evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).search));
    expect(links.length).toBeGreaterThanOrEqual(6);
    await first.finish();
    for (const query of links) {
      const v = await visit(query);
      expect(await v.page.locator('#tag-source').textContent()).toContain('data-project="demo-shop"');
      await v.finish();
    }
  });

  it('default: the launcher opens stars; a rating reaches the collector (200)', async () => {
    const v = await visit('');
    await v.page.getByRole('button', { name: 'Feedback' }).click();
    const dialog = v.page.getByRole('dialog');
    await dialog.getByRole('radio', { name: '5 stars' }).click();
    const answer = feedbackAnswer(v.page);
    await dialog.getByRole('button', { name: 'Send' }).click();
    expect((await answer).status()).toBe(200);
    await v.finish();
  });

  it('NPS after checkout: nothing while shopping, the survey after placing an order', async () => {
    const v = await visit('?scale=nps&trigger=delay:2&pages=/order-complete');
    await v.page.getByRole('button', { name: 'Add Canvas backpack to cart' }).click();
    await v.page.getByRole('link', { name: /Cart/ }).click();
    await v.page.getByRole('button', { name: 'Check out' }).click();
    await v.page.getByLabel('Name').fill('Ada');
    await v.page.getByLabel('E-mail').fill('ada@example.com');
    await v.page.getByLabel('Address').fill('1 Main St');
    await v.page.waitForTimeout(2500);
    expect(await v.page.getByRole('dialog').isVisible()).toBe(false);
    await v.page.getByRole('button', { name: 'Place order' }).click();
    await v.page.getByRole('dialog').waitFor({ state: 'visible', timeout: 5000 });
    await v.page.getByRole('dialog').getByRole('radio', { name: '10' }).click();
    const answer = feedbackAnswer(v.page);
    await v.page.getByRole('dialog').getByRole('button', { name: 'Send' }).click();
    expect((await answer).status()).toBe(200);
    await v.finish();
  });

  it('thumbs on a link: the "Was this helpful?" button opens thumbs', async () => {
    const v = await visit('?scale=thumbs&trigger=selector:.feedback-link&question=Was+this+page+helpful%3F');
    await v.page.getByRole('button', { name: 'Was this helpful?' }).click();
    const dialog = v.page.getByRole('dialog', { name: 'Was this page helpful?' });
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.getByRole('radio').count()).toBe(2);
    await v.finish();
  });

  it('emoji at half the page: scrolling down opens emoji', async () => {
    const v = await visit('?scale=emoji&trigger=scroll:50&position=bottom-left');
    await v.page.mouse.move(400, 400);
    for (let i = 0; i < 20 && !(await v.page.getByRole('dialog').isVisible()); i++) await v.page.mouse.wheel(0, 300);
    await v.page.getByRole('dialog').waitFor({ state: 'visible' });
    expect(await v.page.getByRole('dialog').getByRole('radio', { name: 'Very satisfied' }).count()).toBe(1);
    await v.finish();
  });

  it("manual: the shop's own button opens it", async () => {
    const v = await visit('?trigger=manual&scale=emoji');
    expect(await v.page.getByRole('button', { name: 'Feedback' }).count()).toBe(0);
    await v.page.getByRole('button', { name: 'Rate your visit' }).click();
    await v.page.getByRole('dialog').waitFor({ state: 'visible' });
    await v.finish();
  });

  it('a page on another origin loads the script tag and its German locale from the demo server (CORS on both)', async () => {
    const page0 = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Elsewhere</title>
      <script src="${base}/feedpulse.min.js" async data-endpoint="${base}/v1/events" data-project="demo-shop" data-locale="de"
        data-autocapture="off" data-pageviews="false"></script></head><body><h1>Another site</h1></body></html>`;
    const other = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page0));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const context = await demo.browser.newContext();
    try {
      const page = await context.newPage();
      const watch = watchPage(page);
      await page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
      await page.getByRole('button', { name: 'Feedback' }).click();
      await page.getByRole('dialog', { name: 'Wie war Ihre Erfahrung?' }).waitFor({ state: 'visible' });
      expect(watch.warnings.filter((w) => w.includes('feedpulse'))).toEqual([]);
      expect(watch.errors).toEqual([]);
    } finally {
      await context.close();
      other.close();
    }
  });
});
