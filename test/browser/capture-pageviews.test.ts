// Capture through the real client (src/core bundled): pageviews on load and on every SPA route
// change without duplicates, click events with the privacy rules, config warnings on the console.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, hasChromium } from '../helpers/browser';
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint';
import { bundleCapture } from '../helpers/capture';
import type { FeedpulseClient, FeedpulseEvent } from '../../src/core/types';

declare global { interface Window { fpCore: typeof import('../../src/core/index'); fp: FeedpulseClient } }

let browser: Browser;
let ep: TestEndpoint;
let code: string;
let n = 0;

async function open(body: string, config: string, before = ''): Promise<{ page: Page; project: string; warnings: string[] }> {
  const project = `cap-${++n}`;
  const path = `/app${n}/home`;
  ep.page(path, `<!doctype html><html><head><title>Home</title></head><body>${body}<script>${before}</script><script>${code}</script>
    <script>window.fp = window.fpCore.createClient({ endpoint: '${ep.url}', project: '${project}', flushInterval: 20, ${config} });</script></body></html>`);
  const page = await browser.newPage();
  const warnings: string[] = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  page.on('pageerror', (e) => warnings.push('pageerror ' + e.message));
  await page.goto(ep.origin + path);
  return { page, project, warnings };
}
const eventsOf = (project: string, type?: string) => ep.received
  .flatMap((r) => ((r.json as { events?: FeedpulseEvent[] })?.events ?? []))
  .filter((e) => e.project === project && (!type || e.type === type));
// A route change is looked at up to 250 ms after it.
const settle = async (page: Page) => { await page.waitForTimeout(300); await page.evaluate(() => window.fp.flush()); };

describe.skipIf(!hasChromium)('capture through the client in Chromium', () => {
  beforeAll(async () => {
    [browser, ep, code] = await Promise.all([launchChromium(), startEndpoint(), bundleCapture('client')]);
  });
  afterAll(async () => { await browser?.close(); await ep?.close(); });

  // Chromium has the Navigation API; without it (other browsers) location.href is polled.
  it.each([
    ['the Navigation API', ''],
    ['polling', 'delete window.navigation;'],
  ])('sends one pageview on load and one per route change (push, replace, back, hash), none twice, seen by %s', async (_how, before) => {
    const { page, project, warnings } = await open('<p>spa</p>', '', before);
    expect(await page.evaluate(() => 'navigation' in window)).toBe(!before);
    await settle(page);
    const base = new URL(page.url()).pathname;
    await page.evaluate(() => history.pushState({}, '', 'products'));
    await settle(page);
    await page.evaluate(() => history.pushState({}, '', 'products')); // same URL: no pageview
    await settle(page);
    await page.evaluate(() => history.replaceState({}, '', 'products?sort=price'));
    await settle(page);
    await page.evaluate(() => history.back());
    await settle(page);
    await page.evaluate(() => { location.hash = 'faq'; });
    await settle(page);
    await page.evaluate(() => { history.pushState({}, '', 'old'); history.replaceState({}, '', 'new'); }); // redirect: once
    await settle(page);
    await expect.poll(() => eventsOf(project, 'pageview').length, { timeout: 15000 }).toBeGreaterThanOrEqual(6);
    await page.waitForTimeout(200);
    const views = eventsOf(project, 'pageview');
    const dir = base.replace(/home$/, '');
    expect(views.map((e) => e.page.path + new URL(e.page.url).search + new URL(e.page.url).hash)).toEqual([
      base, dir + 'products', dir + 'products?sort=price', dir + 'products', dir + 'products#faq', dir + 'new',
    ]);
    expect(new Set(views.map((e) => e.id)).size).toBe(views.length);
    expect(views[0].page.title).toBe('Home');
    expect(warnings).toEqual([]);
    await page.close();
  });

  it('no pageviews with pageviews: false; clicks arrive with selector, text and href', async () => {
    const { page, project } = await open(
      '<a id="pricing" href="#pricing"><span>See pricing</span></a><div data-feedpulse-mask><button id="who">Jane Doe</button></div><button id="mail">Mail jane@example.com</button>',
      'pageviews: false');
    await page.click('#pricing span');
    await page.click('#who');
    await page.click('#mail');
    await settle(page);
    await expect.poll(() => eventsOf(project, 'click').length, { timeout: 15000 }).toBe(3);
    expect(eventsOf(project, 'pageview')).toEqual([]);
    expect(eventsOf(project, 'click').map((e) => e.data)).toEqual([
      { selector: '#pricing', tag: 'a', text: 'See pricing', href: `${new URL(page.url()).href.split('#')[0]}#pricing` },
      { selector: '#who', tag: 'button' },
      { selector: '#mail', tag: 'button', text: 'Mail [email]' },
    ]);
    await page.close();
  });

  it('autocapture: "off" sends no clicks; bad settings warn once each and the client still works', async () => {
    const { page, project, warnings } = await open('<button id="b">B</button>', "autocapture: 'off', batchSize: 'abc', sampleRate: 3");
    await page.click('#b');
    await page.evaluate(() => window.fp.track('still-works'));
    await settle(page);
    await expect.poll(() => eventsOf(project, 'track').length, { timeout: 15000 }).toBe(1);
    expect(eventsOf(project, 'click')).toEqual([]);
    expect(warnings).toEqual([
      'feedpulse: batchSize "abc" is not valid; using 50',
      'feedpulse: sampleRate 3 is not valid; using 1',
    ]);
    await page.close();
  });

  it('a missing project disables the SDK with one warning and no exception', async () => {
    const { page, warnings } = await open('', "project: ''");
    const r = await page.evaluate(async () => { await window.fp.track('x'); return window.fp.flush(); });
    expect(r).toEqual({ sent: 0, pending: 0 });
    expect(warnings).toEqual(['feedpulse: project "" is not valid; the SDK is disabled']);
    await page.close();
  });

  it('sampleRate 0 keeps no pageviews, clicks or tracks of the session, but every feedback', async () => {
    const { page, project } = await open('<button id="b">B</button>', 'sampleRate: 0');
    await page.click('#b');
    await page.evaluate(async () => {
      await window.fp.track('sampled-out');
      await window.fp.feedback({ rating: 5, scale: 'stars', comment: 'Call me on +44 20 7946 0958 or a@b.co' });
    });
    await settle(page);
    await expect.poll(() => eventsOf(project).length, { timeout: 15000 }).toBe(1);
    await page.waitForTimeout(200);
    expect(eventsOf(project).map((e) => [e.type, e.data])).toEqual([
      ['feedback', { rating: 5, scale: 'stars', comment: 'Call me on [phone] or [email]' }],
    ]);
    await page.close();
  });

  it('scrubPII: false keeps comments and props as written', async () => {
    const { page, project } = await open('', 'scrubPII: false, pageviews: false');
    await page.evaluate(async () => {
      await window.fp.feedback({ rating: 1, scale: 'stars', comment: 'mail a@b.co' });
      await window.fp.track('t', { phone: '555-123-4567' });
    });
    await settle(page);
    await expect.poll(() => eventsOf(project).length, { timeout: 15000 }).toBe(2);
    expect(eventsOf(project).map((e) => e.data)).toEqual([
      { rating: 1, scale: 'stars', comment: 'mail a@b.co' },
      { name: 't', props: { phone: '555-123-4567' } },
    ]);
    await page.close();
  });
});
