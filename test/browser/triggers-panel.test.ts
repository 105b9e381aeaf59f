// Triggers through the real script tag and the real panel (role=dialog): each opens it when it should
// and not before; data-pages re-checked on pushState; data-once keeps it shut for N days after an
// answer. Timers run on Playwright's fake clock, paused from the first script on, so counts are exact.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../helpers/browser';
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint';
import { scriptTag, shopPage, started, watchPage, type PageWatch } from './embed-harness';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);
type Fp = { feedpulse: { open(): void; close(): void } };

describe.skipIf(!hasChromium)('triggers with the real panel (Chromium)', () => {
  let browser: Browser;
  let endpoint: TestEndpoint;
  let n = 0;

  beforeAll(async () => {
    [browser, endpoint] = await Promise.all([launchChromium(), startEndpoint()]);
  });
  afterAll(async () => {
    await browser?.close();
    await endpoint?.close();
  });

  interface Loaded { page: Page; watch: PageWatch; context: BrowserContext; dialog: () => Promise<boolean> }

  /** Serves the shop page with these attributes under `dir` and opens it with time paused at T0. */
  async function load(attrs: Record<string, string>, dir = '/shop', setup?: (page: Page) => Promise<unknown>): Promise<Loaded> {
    const path = `${dir}/p${++n}`;
    endpoint.page(path, shopPage(scriptTag({ endpoint: `${endpoint.origin}/v1/events`, project: 'shop-web', autocapture: 'off', ...attrs })));
    const context = await browser.newContext();
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.clock.install({ time: T0 });
    // Real time flows between install and pause: pause a little ahead so it is never in the past.
    await page.clock.pauseAt(T0 + 1000);
    await setup?.(page);
    await page.goto(endpoint.origin + path);
    await started(page);
    await page.waitForSelector('feedpulse-widget', { state: 'attached' });
    // The panel renders on the next frames: let 40 ms of fake time pass, then look.
    const dialog = async () => {
      await page.clock.runFor(40);
      return page.getByRole('dialog').isVisible();
    };
    return { page, watch, context, dialog };
  }
  async function done({ watch, context }: Loaded) {
    expect(watch.errors).toEqual([]);
    expect(watch.warnings.filter((w) => w.includes('feedpulse'))).toEqual([]);
    await context.close();
  }
  const scrollTo = (page: Page, y: number) =>
    page.evaluate((top) => new Promise<void>((ok) => {
      if (Math.round(scrollY) === top) return ok();
      window.addEventListener('scroll', () => ok(), { once: true });
      window.scrollTo(0, top);
    }), y);
  const room = (page: Page) => page.evaluate(() => document.documentElement.scrollHeight - innerHeight);

  it('button (default): the launcher opens it; nothing opens by itself', async () => {
    const t = await load({});
    await t.page.clock.runFor(60_000);
    expect(await t.dialog()).toBe(false);
    await t.page.getByRole('button', { name: 'Feedback' }).click();
    // Open once the panel file is in (on a busy machine it may still be arriving).
    await expect.poll(t.dialog).toBe(true);
    await done(t);
  });

  it('delay:3 opens at 3 s, not at 2.99 s', async () => {
    const t = await load({ trigger: 'delay:3' });
    expect(await t.page.getByRole('button', { name: 'Feedback' }).count()).toBe(0);
    await t.page.clock.runFor(2950);
    expect(await t.dialog()).toBe(false); // at 2.990 s
    await t.page.clock.runFor(10);
    await expect.poll(t.dialog).toBe(true);
    await done(t);
  });

  it('scroll:60 opens at 60 %, not at 50 %', async () => {
    const t = await load({ trigger: 'scroll:60' });
    const height = await room(t.page);
    await scrollTo(t.page, Math.floor(height * 0.5));
    await t.page.clock.runFor(100);
    expect(await t.dialog()).toBe(false);
    await scrollTo(t.page, Math.ceil(height * 0.6));
    await expect.poll(t.dialog).toBe(true);
    await done(t);
  });

  it('exit: leaving through the top of the viewport opens it', async () => {
    const t = await load({ trigger: 'exit' });
    await t.page.mouse.move(640, 400);
    await t.page.mouse.move(640, 30);
    await t.page.mouse.move(640, 760);
    expect(await t.dialog()).toBe(false);
    await t.page.mouse.move(640, 200);
    await t.page.mouse.move(640, -5);
    await expect.poll(t.dialog).toBe(true);
    await done(t);
  });

  it('selector: clicking a matching element (also one added later) opens it, every time', async () => {
    const t = await load({ trigger: 'selector:.give-feedback' });
    await t.page.click('#buy');
    expect(await t.dialog()).toBe(false);
    await t.page.click('#help');
    await expect.poll(t.dialog).toBe(true);
    await t.page.keyboard.press('Escape');
    await expect.poll(t.dialog).toBe(false);
    await t.page.evaluate(() => {
      const b = document.createElement('button');
      b.id = 'late';
      b.className = 'give-feedback';
      b.textContent = 'Rate this page';
      document.body.prepend(b);
    });
    await t.page.click('#late');
    await expect.poll(t.dialog).toBe(true);
    await done(t);
  });

  it('manual: only feedpulse.open() opens it', async () => {
    const t = await load({ trigger: 'manual' });
    expect(await t.page.getByRole('button', { name: 'Feedback' }).count()).toBe(0);
    await t.page.clock.runFor(60_000);
    await scrollTo(t.page, await room(t.page));
    await t.page.mouse.move(640, 200);
    await t.page.mouse.move(640, -5);
    await t.page.click('#help');
    expect(await t.dialog()).toBe(false);
    await t.page.evaluate(() => (window as unknown as Fp).feedpulse.open());
    await expect.poll(t.dialog).toBe(true);
    await done(t);
  });

  it('data-pages: not on a page outside the rule; re-checked after pushState', async () => {
    const t = await load({ trigger: 'delay:1', pages: '/shop/*, !/shop/admin*' }, '/blog');
    await t.page.clock.runFor(5000);
    expect(await t.dialog()).toBe(false);
    await t.page.evaluate(() => history.pushState({}, '', '/shop/admin/orders'));
    await t.page.clock.runFor(5000);
    expect(await t.dialog()).toBe(false);
    await t.page.evaluate(() => history.pushState({}, '', '/shop/cart'));
    // The route is polled every 250 ms: the delay starts 0–250 ms after pushState.
    await t.page.clock.runFor(950);
    expect(await t.dialog()).toBe(false); // at most 0.99 s after the re-check
    await t.page.clock.runFor(300);
    await expect.poll(t.dialog).toBe(true);
    await done(t);
  });

  it('data-pages: a pending delay is cancelled when the SPA leaves the matching pages', async () => {
    const t = await load({ trigger: 'delay:4', pages: '/shop/*' });
    await t.page.clock.runFor(3000);
    await t.page.evaluate(() => history.pushState({}, '', '/about'));
    await t.page.clock.runFor(10_000);
    expect(await t.dialog()).toBe(false);
    await done(t);
  });

  for (const [daysAgo, opens] of [[29, false], [31, true]] as const) {
    it(`data-once="30": answered ${daysAgo} days ago → ${opens ? 'asks again' : 'stays shut'}`, async () => {
      const t = await load({ trigger: 'delay:1', once: '30' }, '/shop', (page) =>
        page.addInitScript(([at]) => localStorage.setItem('feedpulse:answered:shop-web', String(at)), [T0 - daysAgo * DAY]));
      await t.page.clock.runFor(2000);
      if (opens) await expect.poll(t.dialog).toBe(true);
      else expect(await t.dialog()).toBe(false);
      // The launcher-free page still lets code open it on purpose.
      await t.page.evaluate(() => (window as unknown as Fp).feedpulse.open());
      await expect.poll(t.dialog).toBe(true);
      await done(t);
    });
  }

  it('data-once: sending a rating from an auto-opened panel keeps it shut on the next visit', async () => {
    const t = await load({ trigger: 'delay:1', once: '30', scale: 'thumbs' });
    await t.page.clock.runFor(1000);
    await expect.poll(t.dialog).toBe(true);
    const dialog = t.page.getByRole('dialog');
    await dialog.getByRole('radio', { name: 'Thumbs up' }).click();
    await dialog.getByRole('button', { name: 'Send' }).click();
    await expect.poll(async () => Number(await t.page.evaluate(() => localStorage.getItem('feedpulse:answered:shop-web')))).toBeGreaterThan(T0);
    await t.page.reload();
    await started(t.page);
    await t.page.clock.runFor(10_000);
    expect(await t.dialog()).toBe(false);
    await done(t);
  });
});
