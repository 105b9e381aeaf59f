// Comments in right-to-left scripts (the widget speaks Arabic) read right to left on the dashboard:
// each comment paragraph takes its direction from its own text (dir=auto), so "ممتاز جدا!" keeps
// its "!" at the end of the sentence instead of jumping to its start, while English stays left to right.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedpulseServer, type FeedpulseServer } from '../../src/consumer/index';
import { hasChromium, launchChromium } from '../helpers/browser';
import { feedbackEvent, postEvents } from '../node/consumer-fixtures';

describe.skipIf(!hasChromium)('dashboard: right-to-left comments (Chromium)', () => {
  let browser: Browser;
  let server: FeedpulseServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fp-rtl-'));
    server = await startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir, collector: { log: false, rateLimit: false } }, {});
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows Arabic and Hebrew comments right to left, English left to right, in the feed and the alerts', async () => {
    const arabic = feedbackEvent('shop', 5, { comment: 'ممتاز جدا! شكرا لكم.', path: '/ar' });
    const hebrew = feedbackEvent('shop', 1, { comment: 'שירות גרוע מאוד, המוצר שבור!', path: '/he' }); // 1★: an alert too
    const english = feedbackEvent('shop', 4, { comment: 'Quick delivery!', path: '/en' });
    await postEvents(`${server.url}/v1/events`, [arabic, hebrew, english]);
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/dashboard`);
    const direction = (selector: string) => page.locator(selector).evaluate((node) => getComputedStyle(node).direction);
    await page.locator(`#alerts li[data-id="${hebrew.id}"] .text`).waitFor({ timeout: 15_000 });
    expect(await direction(`#comments li[data-id="${arabic.id}"] .text`)).toBe('rtl');
    expect(await direction(`#comments li[data-id="${hebrew.id}"] .text`)).toBe('rtl');
    expect(await direction(`#alerts li[data-id="${hebrew.id}"] .text`)).toBe('rtl');
    expect(await direction(`#comments li[data-id="${english.id}"] .text`)).toBe('ltr');
    expect(await page.locator(`#comments li[data-id="${arabic.id}"] .text`).textContent()).toBe('ممتاز جدا! شكرا لكم.');
    await page.close();
  });
});
