// The script tag in real Chromium: a marketer's attributes-only setup delivers a rating; every bad
// attribute gives exactly one console.warn naming it (and the widget still works with the default);
// a missing required attribute disables the widget with one warning; the page never sees an error.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../helpers/browser';
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint';
import { scriptTag, shopPage, started, watchPage, type PageWatch } from './embed-harness';

type Fp = { feedpulse: { open(): void; flush(): Promise<{ sent: number; pending: number }>; track(n: string): Promise<void> } };

describe.skipIf(!hasChromium)('script tag attributes (Chromium)', () => {
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

  /** Serves a page with the given tag at a fresh path and opens it in a fresh context. */
  async function load(head: string): Promise<{ page: Page; watch: PageWatch; close: () => Promise<void> }> {
    const path = `/attr-${++n}`;
    endpoint.page(path, shopPage(head));
    const context = await browser.newContext();
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(endpoint.origin + path);
    await started(page);
    // Give the widget its first task to mount.
    await page.waitForTimeout(50);
    return { page, watch, close: () => context.close() };
  }
  const base = () => ({ endpoint: `${endpoint.origin}/v1/events`, project: 'shop-web' });
  const feedpulseWarnings = (w: PageWatch) => w.warnings.filter((m) => m.includes('feedpulse'));

  it('a pure-attributes setup submits a rating that reaches the endpoint', async () => {
    const { page, watch, close } = await load(scriptTag({ ...base(), scale: 'stars', question: 'How was your visit?', autocapture: 'off' }));
    await page.getByRole('button', { name: 'Feedback' }).click();
    const dialog = page.getByRole('dialog', { name: 'How was your visit?' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('radio', { name: '4 stars' }).click();
    await dialog.getByRole('textbox').fill('Quick checkout');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => dialog.getByText(/Thank you/).isVisible()).toBe(true);
    await expect.poll(() => endpoint.received.flatMap((r) => (r.json as { events?: { type: string; project: string; data: unknown }[] })?.events ?? [])
      .find((e) => e.type === 'feedback' && e.project === 'shop-web'), { timeout: 10_000 })
      .toMatchObject({ data: { rating: 4, scale: 'stars', comment: 'Quick checkout' } });
    expect(watch.errors).toEqual([]);
    expect(feedpulseWarnings(watch)).toEqual([]);
    await close();
  });

  for (const [missing, attrs, named] of [
    ['data-endpoint', { project: 'shop-web' }, undefined],
    ['data-project', { endpoint: '/v1/events' }, undefined],
    // Both missing: the one warning names the first the SDK checks (it stops there).
    ['data-endpoint and data-project', {}, 'data-endpoint'],
  ] as const) {
    it(`missing ${missing}: one warning, widget disabled, calls are harmless`, async () => {
      const { page, watch, close } = await load(scriptTag({ ...attrs, scale: 'nps' }));
      const warnings = feedpulseWarnings(watch);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(named ?? missing);
      expect(warnings[0]).toContain('disabled');
      expect(await page.locator('feedpulse-widget').count()).toBe(0);
      const result = await page.evaluate(async () => {
        const fp = (window as unknown as Fp).feedpulse;
        fp.open();
        await fp.track('ignored');
        return fp.flush();
      });
      expect(result).toEqual({ sent: 0, pending: 0 });
      expect(watch.errors).toEqual([]);
      await close();
    });
  }

  it('a data-endpoint that is not http(s): one warning, disabled', async () => {
    const { page, watch, close } = await load(scriptTag({ ...base(), endpoint: 'javascript:alert(1)' }));
    const warnings = feedpulseWarnings(watch);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/data-endpoint.*disabled/);
    expect(await page.locator('feedpulse-widget').count()).toBe(0);
    expect(watch.errors).toEqual([]);
    await close();
  });

  // [attribute, bad value, what the widget still shows]
  const bad: [string, string][] = [
    ['scale', 'hearts'],
    ['position', 'middle'],
    ['theme', 'neon'],
    ['accent', 'not-a-colour'],
    ['locale', 'xx-YY'],
    ['trigger', 'sideways'],
    ['trigger', 'selector:##'],
    ['autocapture', 'everything'],
    ['pages', '/shop*, !'],
    ['once', 'forever'],
    ['transport', 'carrier-pigeon'],
    ['topic', 'bad topic!'],
    ['consent', 'maybe'],
    ['debug', 'loud'],
    ['pageviews', 'sometimes'],
    ['sample-rate', '2'],
    ['follow-up-low', ''],
    ['string-nope', 'x'],
  ];
  for (const [name, value] of bad) {
    it(`data-${name}="${value}": exactly one warning naming it, widget still starts`, async () => {
      const { page, watch, close } = await load(scriptTag({ ...base(), [name]: value }));
      const warnings = feedpulseWarnings(watch);
      expect(warnings, warnings.join('\n')).toHaveLength(1);
      expect(warnings[0]).toContain(`data-${name}`);
      expect(watch.errors).toEqual([]);
      expect(await page.locator('feedpulse-widget').count()).toBe(1);
      await close();
    });
  }

  // Unknown attributes are passed to init(), which ignores them; the typo warning was dropped for
  // bytes (a list of every attribute cost ~180 B brotli of the 12 KB budget).
  it('an unknown attribute (data-scael) is ignored without a warning or error', async () => {
    const { page, watch, close } = await load(scriptTag({ ...base(), scael: 'nps' }));
    expect(feedpulseWarnings(watch)).toEqual([]);
    expect(watch.errors).toEqual([]);
    expect(await page.locator('feedpulse-widget').count()).toBe(1);
    await close();
  });

  it('a question containing HTML: one warning, shown as text', async () => {
    const { page, watch, close } = await load(scriptTag({ ...base(), question: '<img src=x onerror=alert(1)>Rate us' }));
    const warnings = feedpulseWarnings(watch);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('data-question');
    await page.evaluate(() => (window as unknown as Fp).feedpulse.open());
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(true);
    expect(await page.getByRole('dialog').getByText('<img src=x onerror=alert(1)>Rate us').count()).toBe(1);
    expect(watch.errors).toEqual([]);
    await close();
  });

  it('valid attributes of every kind give no warning and reach the widget', async () => {
    const { page, watch, close } = await load(scriptTag({
      ...base(), scale: 'thumbs', position: 'top-left', theme: 'dark', accent: '#0a7d32', locale: 'de',
      trigger: 'manual', pages: '/attr-*', once: '30', autocapture: 'off', consent: 'granted', debug: 'false',
      pageviews: 'false', 'sample-rate': '0.5', 'follow-up-low': 'Was fehlte?', 'string-send': 'Abschicken',
      question: 'Wie war es?',
    }));
    expect(feedpulseWarnings(watch)).toEqual([]);
    // manual: no launcher.
    expect(await page.getByRole('button', { name: 'Feedback' }).count()).toBe(0);
    await page.evaluate(() => (window as unknown as Fp).feedpulse.open());
    const dialog = page.getByRole('dialog', { name: 'Wie war es?' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Abschicken' }).count()).toBe(1);
    expect(await dialog.getByRole('radio').count()).toBe(2);
    expect(watch.errors).toEqual([]);
    await close();
  });

  it('data-key travels as the x-feedpulse-key header and ?key= (for page-leave sends)', async () => {
    const { page, close } = await load(scriptTag({ ...base(), key: 'pk_live_123', autocapture: 'off' }));
    const urls: string[] = [];
    page.on('request', (r) => { if (r.method() === 'POST') urls.push(r.url()); });
    await page.evaluate(() => (window as unknown as Fp).feedpulse.track('keyed'));
    await page.evaluate(() => (window as unknown as Fp).feedpulse.flush());
    const post = endpoint.received.find((r) => r.body.includes('"keyed"'));
    expect(post?.headers['x-feedpulse-key']).toBe('pk_live_123');
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.every((u) => new URL(u).searchParams.get('key') === 'pk_live_123')).toBe(true);
    await close();
  });
});
