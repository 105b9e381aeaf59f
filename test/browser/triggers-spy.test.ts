// Trigger logic in real Chromium with an `open` spy (no widget UI): each trigger fires when it should
// and not before, pages are re-checked on pushState, once suppresses for N days. Timers run on
// Playwright's fake clock so "not at N-1 s, yes at N s" is exact, not timing-dependent.
import { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../helpers/browser';
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint';
import { triggersBundle } from './triggers-harness';
import type { ArmedTriggers, TriggerOptions } from '../../src/widget/triggers';

declare global {
  interface Window {
    FPTriggers: { armTriggers: (o: TriggerOptions, open: () => void, warn: (m: string) => void) => ArmedTriggers };
    opens: number;
    warns: string[];
    armed: ArmedTriggers;
  }
}

const HTML = `<!doctype html><html><head><title>Shop</title></head>
<body style="margin:0"><button id="fb" class="give">Give feedback</button><p id="other">text</p>
<div style="height:6000px"></div></body></html>`;
const DAY = 86_400_000;

describe.skipIf(!hasChromium)('triggers in Chromium (open spy)', () => {
  let browser: Browser;
  let endpoint: TestEndpoint;
  let code: string;
  let context: BrowserContext;
  let page: Page;
  let errors: Error[];

  beforeAll(async () => {
    [browser, endpoint, code] = await Promise.all([launchChromium(), startEndpoint(), triggersBundle()]);
    for (const path of ['/shop/cart', '/shop/admin', '/page']) endpoint.page(path, HTML);
  });
  afterAll(async () => {
    await browser?.close();
    await endpoint?.close();
  });

  async function open(path = '/page', contextOptions = {}) {
    context = await browser.newContext(contextOptions);
    page = await context.newPage();
    errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await page.clock.install();
    await page.goto(endpoint.origin + path);
    await page.addScriptTag({ content: code });
    await pause();
  }
  // From here on time moves only by runFor(), so "not at 4.999 s" is exact.
  const pause = async () => page.clock.pauseAt(await page.evaluate(() => Date.now() + 1000));
  beforeEach(() => { errors = []; });
  afterEach(async () => {
    expect(errors).toEqual([]);
    await context?.close();
  });

  const arm = (options: TriggerOptions) =>
    page.evaluate((o) => {
      window.opens = 0;
      window.warns = [];
      window.armed = window.FPTriggers.armTriggers(o, () => { window.opens++; }, (m) => { window.warns.push(m); });
      return window.armed.showLauncher;
    }, options);
  const opens = () => page.evaluate(() => window.opens);
  const warns = () => page.evaluate(() => window.warns);
  // Resolves after the page's own scroll listeners ran (ours were added first, so they run first).
  // Real scroll events, independent of the fake clock.
  const scrollTo = (y: number) =>
    page.evaluate((top) => new Promise<void>((done) => {
      if (Math.round(window.scrollY) === top) return done();
      window.addEventListener('scroll', () => done(), { once: true });
      window.scrollTo(0, top);
    }), y);
  const room = () => page.evaluate(() => document.documentElement.scrollHeight - innerHeight);
  // The route is polled every 250 ms (from arming, and every runFor here before a navigate is a
  // multiple of 250 ms: the re-check lands exactly at the end of navigate()).
  const navigate = async (path: string) => {
    await page.evaluate((p) => history.pushState({}, '', p), path);
    await page.clock.runFor(250);
  };

  it('button: launcher shown, nothing opens by itself', async () => {
    await open();
    expect(await arm({ project: 'p' })).toBe(true);
    await page.clock.runFor(60_000);
    await scrollTo(3000);
    expect(await opens()).toBe(0);
    expect(await warns()).toEqual([]);
  });

  it('manual: no launcher, nothing opens by itself', async () => {
    await open();
    expect(await arm({ project: 'p', trigger: 'manual' })).toBe(false);
    await page.clock.runFor(60_000);
    await scrollTo(3000);
    await page.mouse.move(500, 300);
    await page.mouse.move(500, -5);
    await page.click('#fb');
    expect(await opens()).toBe(0);
  });

  it('delay:5 opens at 5 s, not at 4 s, and only once per page view', async () => {
    await open();
    expect(await arm({ project: 'p', trigger: 'delay:5' })).toBe(false);
    await page.clock.runFor(4000);
    expect(await opens()).toBe(0);
    await page.clock.runFor(999);
    expect(await opens()).toBe(0);
    await page.clock.runFor(1);
    expect(await opens()).toBe(1);
    await page.clock.runFor(60_000);
    expect(await opens()).toBe(1);
  });

  it('scroll:50 opens at 50 %, not at 40 %', async () => {
    await open();
    await arm({ project: 'p', trigger: 'scroll:50' });
    const height = await room();
    await scrollTo(Math.floor(height * 0.4));
    expect(await opens()).toBe(0);
    await scrollTo(Math.floor(height * 0.49));
    expect(await opens()).toBe(0);
    await scrollTo(Math.ceil(height * 0.5));
    expect(await opens()).toBe(1);
    await scrollTo(height);
    await scrollTo(0);
    await scrollTo(height);
    expect(await opens()).toBe(1);
  });

  it('exit (desktop): leaving through the top opens; moving inside or out at the bottom does not', async () => {
    await open();
    await arm({ project: 'p', trigger: 'exit' });
    await page.mouse.move(600, 400);
    await page.mouse.move(600, 20);
    await page.mouse.move(600, 719);
    await page.mouse.move(600, 800);
    await page.mouse.move(1300, 300);
    expect(await opens()).toBe(0);
    await page.mouse.move(600, 300);
    await page.mouse.move(600, -5);
    expect(await opens()).toBe(1);
    await page.mouse.move(600, 300);
    await page.mouse.move(600, -5);
    expect(await opens()).toBe(1);
  });

  it('exit (touch): a slow scroll up does not open, a fast flick up does', async () => {
    await open('/page', { hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });
    expect(await page.evaluate(() => matchMedia('(hover: none) and (pointer: coarse)').matches)).toBe(true);
    await arm({ project: 'p', trigger: 'exit' });
    await scrollTo(3000);
    await page.clock.runFor(1000);
    // 100 px every 300 ms: reading back up, not leaving.
    for (let y = 2900; y >= 2000; y -= 100) {
      await scrollTo(y);
      await page.clock.runFor(300);
    }
    await page.mouse.move(200, -5);
    expect(await opens()).toBe(0);
    await scrollTo(1000);
    expect(await opens()).toBe(1);
  });

  it('selector: delegated clicks open every time, also on elements added later', async () => {
    await open();
    expect(await arm({ project: 'p', trigger: 'selector:.give' })).toBe(false);
    await page.click('#other');
    expect(await opens()).toBe(0);
    await page.click('#fb');
    await page.click('#fb');
    expect(await opens()).toBe(2);
    await page.evaluate(() => {
      const later = document.createElement('a');
      later.className = 'give';
      later.id = 'later';
      later.innerHTML = '<span id="inner">Tell us</span>';
      // A host handler that stops propagation must not hide the click.
      later.addEventListener('click', (e) => e.stopPropagation());
      document.body.prepend(later);
    });
    await page.click('#inner');
    expect(await opens()).toBe(3);
  });

  it('pages: not on an excluded page; re-checked on pushState', async () => {
    await open('/shop/admin');
    await arm({ project: 'p', trigger: 'delay:1', pages: '/shop/*, !/shop/admin' });
    await page.clock.runFor(5000);
    expect(await opens()).toBe(0);
    await navigate('/shop/cart');
    // The delay starts with the re-check (the poll after pushState).
    await page.clock.runFor(990);
    expect(await opens()).toBe(0);
    await page.clock.runFor(20);
    expect(await opens()).toBe(1);
    // A new page view on a matching path may open again.
    await navigate('/shop/checkout');
    await page.clock.runFor(1000);
    expect(await opens()).toBe(2);
  });

  it('pages: a pending delay is cancelled when the route stops matching', async () => {
    await open('/shop/cart');
    await arm({ project: 'p', trigger: 'delay:5', pages: '/shop/*' });
    await page.clock.runFor(3000);
    await navigate('/blog');
    await page.clock.runFor(10_000);
    expect(await opens()).toBe(0);
    // Query-only changes are the same page view: the timer keeps running.
    await navigate('/shop/cart');
    await page.clock.runFor(3000);
    await navigate('/shop/cart?sort=price');
    await page.clock.runFor(2000);
    expect(await opens()).toBe(1);
  });

  it('pages: the launcher is only offered on matching pages', async () => {
    await open('/shop/admin');
    expect(await arm({ project: 'p', pages: '/shop/*, !/shop/admin' })).toBe(false);
    await navigate('/shop/cart');
    expect(await page.evaluate(() => window.armed.showLauncher)).toBe(true);
  });

  it('once: after answered(), no auto-open for N days (stored timestamp), again after', async () => {
    await open();
    await arm({ project: 'shop', trigger: 'delay:1', once: 30 });
    await page.clock.runFor(1000);
    expect(await opens()).toBe(1);
    await page.evaluate(() => window.armed.answered());
    const stored = await page.evaluate(() => localStorage.getItem('feedpulse:answered:shop'));
    expect(Number(stored)).toBeGreaterThan(0);

    await page.reload();
    await page.addScriptTag({ content: code });
    await pause();
    await arm({ project: 'shop', trigger: 'delay:1', once: 30 });
    await page.clock.runFor(5000);
    expect(await opens()).toBe(0);

    // 29 days ago: still quiet. 31 days ago: asks again.
    for (const [daysAgo, expected] of [[29, 0], [31, 1]] as const) {
      await page.evaluate((ago) => localStorage.setItem('feedpulse:answered:shop', String(Date.now() - ago)), daysAgo * DAY);
      await page.reload();
      await page.addScriptTag({ content: code });
      await pause();
      await arm({ project: 'shop', trigger: 'delay:1', once: 30 });
      await page.clock.runFor(1000);
      expect(await opens()).toBe(expected);
    }
    // Another project on the same site is not affected.
    await page.evaluate(() => localStorage.setItem('feedpulse:answered:shop', String(Date.now())));
    await arm({ project: 'blog', trigger: 'delay:1', once: 30 });
    await page.clock.runFor(1000);
    expect(await opens()).toBe(1);
  });

  it('answered() stops auto-opens for the rest of the page load even without once', async () => {
    await open('/shop/cart');
    await arm({ project: 'p', trigger: 'delay:1' });
    await page.clock.runFor(1000);
    await page.evaluate(() => window.armed.answered());
    await navigate('/shop/checkout');
    await page.clock.runFor(5000);
    expect(await opens()).toBe(1);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  });

  it('stop() removes timers and listeners', async () => {
    await open();
    await arm({ project: 'p', trigger: 'selector:#fb' });
    await page.evaluate(() => window.armed.stop());
    await page.click('#fb');
    await arm({ project: 'p', trigger: 'delay:1' });
    await page.evaluate(() => window.armed.stop());
    await page.clock.runFor(5000);
    expect(await opens()).toBe(0);
  });

  it('an unparsable trigger warns once naming it and falls back to the launcher', async () => {
    await open();
    expect(await arm({ project: 'p', trigger: 'delay:soon' })).toBe(true);
    const list = await warns();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatch(/trigger "delay:soon".*"button"/);
  });

  it('storage that throws does not break once', async () => {
    await open();
    await page.evaluate(() => {
      Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError'); } });
    });
    await arm({ project: 'p', trigger: 'delay:1', once: 30 });
    await page.clock.runFor(1000);
    await page.evaluate(() => window.armed.answered());
    expect(await opens()).toBe(1);
  });
});
