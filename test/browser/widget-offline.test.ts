// Offline: the thank-you says the feedback is saved and will be sent; on reconnect it is delivered.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { hasChromium, launchChromium } from '../helpers/browser';
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint';
import { feedbackReceived, widgetPage, widgetBuilt } from './widget-harness';

describe.skipIf(!hasChromium || !widgetBuilt)('widget offline (Chromium, real build)', () => {
  let browser: Browser;
  let ep: TestEndpoint;
  beforeAll(async () => { [browser, ep] = await Promise.all([launchChromium(), startEndpoint()]); });
  afterAll(async () => { await browser?.close(); await ep?.close(); });

  it('offline submit shows the saved state and delivers on reconnect', async () => {
    const page = await widgetPage(browser, ep, { scale: 'emoji' });
    await page.context().setOffline(true);
    await page.getByRole('button', { name: 'Feedback' }).click();
    await page.getByRole('radio', { name: 'Satisfied', exact: true }).click();
    await page.getByRole('textbox').fill('written on a train');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByRole('status').textContent())
      .toBe('Thank you! Your feedback is saved and will be sent when you are back online.');
    await page.waitForTimeout(300);
    expect(feedbackReceived(ep).filter((f) => f.comment === 'written on a train')).toEqual([]);
    await page.context().setOffline(false);
    await expect.poll(() => feedbackReceived(ep).filter((f) => f.comment === 'written on a train'), { timeout: 20_000 })
      .toEqual([{ rating: 4, scale: 'emoji', comment: 'written on a train' }]);
    await page.context().close();
  });

  it('a collector that is down: still "saved", delivered when it answers again', async () => {
    let down = true;
    ep.respond((r) => (down && r.body.includes('"collector-down"') ? { status: 503 } : undefined));
    try {
      const page = await widgetPage(browser, ep, { project: 'collector-down', scale: 'nps' });
      await page.getByRole('button', { name: 'Feedback' }).click();
      await page.getByRole('radio', { name: '9', exact: true }).click();
      await page.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('saved and will be sent');
      down = false;
      await expect.poll(() => ep.acceptedIds().length > 0 && feedbackReceived(ep).some((f) => f.rating === 9 && f.scale === 'nps'), { timeout: 30_000 }).toBe(true);
      await page.context().close();
    } finally {
      ep.respond(undefined);
    }
  });

  it('online: plain thank-you', async () => {
    const page = await widgetPage(browser, ep, { scale: 'thumbs' });
    await page.getByRole('button', { name: 'Feedback' }).click();
    await page.getByRole('radio', { name: 'Thumbs up' }).click();
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Thank you for your feedback!');
    await page.waitForTimeout(500);
    expect(await page.getByRole('status').textContent()).toBe('Thank you for your feedback!');
    await page.context().close();
  });
});
