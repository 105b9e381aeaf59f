// Comments in right-to-left scripts (the widget speaks Arabic) read right to left on the dashboard:
// each comment paragraph takes its direction from its own text (dir=auto), so "ممتاز جدا!" keeps
// its "!" at the end of the sentence instead of jumping to its start, while English stays left to right.
import { describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser';
import { useDashboard } from '../helpers/dashboard';
import { ratingEvent, postEvents } from '../helpers/consumer';

describe.skipIf(!hasChromium)('dashboard: right-to-left comments (Chromium)', () => {
  const dash = useDashboard('fp-rtl-');

  it('shows Arabic and Hebrew comments right to left, English left to right, in the feed and the alerts', async () => {
    const arabic = ratingEvent('shop', 5, { comment: 'ممتاز جدا! شكرا لكم.', path: '/ar' });
    const hebrew = ratingEvent('shop', 1, { comment: 'שירות גרוע מאוד, המוצר שבור!', path: '/he' }); // 1★: an alert too
    const english = ratingEvent('shop', 4, { comment: 'Quick delivery!', path: '/en' });
    await postEvents(`${dash.server.url}/v1/events`, [arabic, hebrew, english]);
    const page = await (await dash.browser.newContext()).newPage();
    await page.goto(`${dash.server.url}/dashboard`);
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
