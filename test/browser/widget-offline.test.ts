// Offline: the thank-you says the feedback is saved and will be sent; on reconnect it is delivered.
// Online, a send that fails (collector down, origin refused) gets the plain thank-you: "when you
// are back online" would tell the visitor their connection is at fault when it is not.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

  it('a collector that is down while online: the plain thank-you, delivered when it answers again', async () => {
    let down = true;
    ep.respond((r) => (down && r.body.includes('"collector-down"') ? { status: 503 } : undefined));
    try {
      const page = await widgetPage(browser, ep, { project: 'collector-down', scale: 'nps' });
      await page.getByRole('button', { name: 'Feedback' }).click();
      await page.getByRole('radio', { name: '9', exact: true }).click();
      await page.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => ep.received.some((r) => r.body.includes('"collector-down"'))).toBe(true);
      await page.waitForTimeout(300);
      expect(await page.getByRole('status').textContent()).toBe('Thank you for your feedback!');
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

  it('online, the collector refuses this origin (CORS): the plain thank-you, never "back online"', async () => {
    let preflights = 0;
    const strict = createServer((req, res) => {
      if (req.method === 'OPTIONS') preflights++;
      res.writeHead(403, { 'content-type': 'application/json' }).end('{"error":"origin_not_allowed"}');
    });
    await new Promise<void>((r) => strict.listen(0, '127.0.0.1', r));
    try {
      const endpoint = `http://127.0.0.1:${(strict.address() as AddressInfo).port}/v1/events`;
      const page = await widgetPage(browser, ep, { endpoint, scale: 'stars' }, { csp: false });
      await page.getByRole('button', { name: 'Feedback' }).click();
      await page.getByRole('radio', { name: '5 stars' }).click();
      await page.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => preflights).toBeGreaterThan(0);
      await page.waitForTimeout(300);
      expect(await page.getByRole('status').textContent()).toBe('Thank you for your feedback!');
      await page.context().close();
    } finally {
      strict.closeAllConnections();
      await new Promise((r) => strict.close(r));
    }
  });
});
