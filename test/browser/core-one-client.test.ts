// One page, one client: an app that imports both npm entries (createClient from dist/core.js, init
// from dist/index.js, as a bundler would resolve `feedpulse/core` and `feedpulse`) gets one core
// module, and a second client for the same project is the first one, with a warning, instead of a
// second autocapture that stores every pageview and click twice.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { hasChromium } from '../helpers/browser';
import { coreBuilt, postedEvents, startRig, type Rig, ROOT } from '../helpers/core';
import { waitFor } from '../helpers/wait';
import { widgetBuilt } from './widget-harness';

type Win = Window & {
  a: import('../../src/core/types').FeedpulseClient;
  b: import('../../src/core/types').FeedpulseClient;
  warnings: string[];
  same: boolean;
};
const skip = !hasChromium ? 'no Chromium' : !coreBuilt || !widgetBuilt ? 'dist/ missing: run npm run build' : '';

describe('the npm entries share one core', () => {
  it.skipIf(!coreBuilt || !widgetBuilt)('dist/index.js imports the core from ./core.js and holds no copy of it', () => {
    const widget = readFileSync(`${ROOT}/dist/index.js`, 'utf8');
    expect(widget).toMatch(/^import\{[^}]+\}from"\.\/core\.js"/);
    // Strings only the core's delivery code has.
    for (const text of ['application/vnd.kafka.json.v2+json', 'retry-after', 'feedpulse: IndexedDB']) {
      expect(widget, text).not.toContain(text);
      expect(readFileSync(`${ROOT}/dist/core.js`, 'utf8'), text).toContain(text);
    }
  });
});

describe.skipIf(skip)('one client per project and page (Chromium)', () => {
  let rig: Rig;
  beforeAll(async () => { rig = await startRig(); });
  afterAll(async () => { await rig.close(); });

  /** A page that runs `script` as a module with createClient and init imported from both entries. */
  async function pageWith(path: string, script: string): Promise<Page> {
    rig.ep.page(path, `<!doctype html><title>both entries</title><body><button id="buy">Buy</button><script type="module">
      import { createClient } from '/dist/core.js';
      import { init } from '/dist/index.js';
      window.warnings = [];
      const warn = console.warn.bind(console);
      console.warn = (...args) => { window.warnings.push(args.join(' ')); warn(...args); };
      const config = { endpoint: ${JSON.stringify(rig.ep.url)}, project: ${JSON.stringify(path.slice(1, -5))}, flushInterval: 50 };
      ${script}
      window.ready = true;
    </script>`);
    const page = await rig.context.newPage();
    await page.goto(rig.ep.origin + path);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready);
    return page;
  }
  const eventsOf = (project: string) => postedEvents(rig.ep.received).filter((e) => e.project === project);

  it('createClient() then init() on the same project: one pageview, one click, a warning, one client', async () => {
    const page = await pageWith('/both.html', `window.a = createClient(config); window.b = init(config);
      window.same = window.a.on === window.b.on;`);
    await page.click('#buy');
    await waitFor(() => eventsOf('both').length >= 2, 10000, 'pageview and click');
    await page.waitForTimeout(500); // would a second copy follow?
    expect(eventsOf('both').map((e) => e.type).sort()).toEqual(['click', 'pageview']);
    expect(await page.evaluate(() => (window as unknown as Win).same)).toBe(true);
    expect(await page.evaluate(() => (window as unknown as Win).warnings))
      .toEqual(['feedpulse: project both has a client on this page already; using that one']);
    // The widget still runs on the shared client.
    expect(await page.locator('feedpulse-widget').count()).toBe(1);
    await page.close();
  });

  it('init({ client, project }) takes the page\'s client without a warning; its widget sends through it', async () => {
    const page = await pageWith('/given.html', `window.a = createClient(config);
      window.b = init({ client: window.a, project: config.project, scale: 'thumbs' });`);
    await waitFor(() => eventsOf('given').length >= 1, 10000, 'the pageview');
    await page.getByRole('button', { name: 'Feedback' }).click();
    await page.getByRole('radio', { name: 'Thumbs up' }).click();
    await page.getByRole('button', { name: 'Send' }).click();
    await waitFor(() => eventsOf('given').some((e) => e.type === 'feedback'), 10000, 'the feedback');
    await page.waitForTimeout(300);
    expect(eventsOf('given').map((e) => e.type).sort()).toEqual(['feedback', 'pageview']);
    expect(await page.evaluate(() => (window as unknown as Win).warnings)).toEqual([]);
    await page.close();
  });

  it('init(), shutdown() and init() again at once (React StrictMode): a new client, no warning, one widget', async () => {
    const page = await pageWith('/again.html', `const first = init(config); first.shutdown();
      window.b = init({ ...config, pageviews: false });
      window.same = first.on === window.b.on;`);
    expect(await page.evaluate(() => (window as unknown as Win).same)).toBe(false);
    await page.evaluate(() => (window as unknown as Win).b.track('after-remount'));
    await waitFor(() => eventsOf('again').some((e) => e.type === 'track'), 10000, 'the new client\'s event');
    expect(await page.evaluate(() => (window as unknown as Win).warnings)).toEqual([]);
    await expect.poll(() => page.locator('feedpulse-widget').count()).toBe(1);
    await page.close();
  });

  it('another project on the same page is a client of its own', async () => {
    const page = await pageWith('/first.html', `window.a = createClient(config);
      window.b = createClient({ ...config, project: 'second', pageviews: false, autocapture: 'off' });
      window.same = window.a === window.b;`);
    expect(await page.evaluate(() => (window as unknown as Win).same)).toBe(false);
    await page.evaluate(() => (window as unknown as Win).b.track('own'));
    await waitFor(() => eventsOf('second').length === 1, 10000, 'the second project\'s event');
    expect(await page.evaluate(() => (window as unknown as Win).warnings)).toEqual([]);
    await page.close();
  });
});
