// The live dashboard in real Chromium against the demo server started in-process (port 0, temp
// FEEDPULSE_DATA, embedded log): it opens under a strict CSP, feedback appears without a reload,
// critical feedback raises exactly one alert and one webhook call, HTML in comments stays text,
// the token guards page and stream, and the simulate button drives traffic through the collector.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedpulseServer, type FeedpulseServer, type FeedpulseServerOptions } from '../../src/consumer/index';
import { hasChromium, launchChromium } from '../helpers/browser';
import { ratingEvent, postEvents, waitFor } from '../helpers/consumer';

interface Hook { url: string; calls: { text: string; blocks?: unknown[] }[]; close(): Promise<void> }
async function startWebhookReceiver(): Promise<Hook> {
  const calls: Hook['calls'] = [];
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const c of req) body += c;
    calls.push(JSON.parse(body));
    res.writeHead(200).end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack`, calls, close: () => new Promise((r) => server.close(() => r())) };
}

describe.skipIf(!hasChromium)('dashboard (Chromium)', () => {
  let browser: Browser;
  let hook: Hook;
  const servers: FeedpulseServer[] = [];
  const dirs: string[] = [];
  const start = async (options: FeedpulseServerOptions = {}) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-dash-'));
    dirs.push(dataDir);
    const server = await startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir, collector: { log: false, rateLimit: false }, ...options }, {});
    servers.push(server);
    return server;
  };
  let server: FeedpulseServer;

  beforeAll(async () => {
    browser = await launchChromium();
    hook = await startWebhookReceiver();
    server = await start({ webhookUrl: hook.url, webhookRetry: { baseDelayMs: 20 } });
  });
  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await s.close();
    await hook?.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  async function openDashboard(url: string): Promise<{ page: Page; problems: string[]; navigations: () => number }> {
    // A context of its own per page: separate cookies, and what AxeBuilder needs.
    const page = await (await browser.newContext()).newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    let navigations = 0;
    page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations++; });
    await page.goto(url);
    await page.locator('#conn-text', { hasText: 'live' }).waitFor();
    return { page, problems, navigations: () => navigations };
  }

  it('opens live, served with a strict CSP, without console errors', async () => {
    const res = await fetch(`${server.url}/dashboard`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=/);
    const { page, problems } = await openDashboard(`${server.url}/dashboard`);
    expect(await page.locator('#nps-gauge').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows feedback posted to the collector without a reload', async () => {
    const { page, navigations, problems } = await openDashboard(`${server.url}/dashboard`);
    const comment = `Quick delivery ${Date.now()}`;
    const event = ratingEvent('shop', 4, { comment, path: '/product' });
    const sent = Date.now();
    await postEvents(`${server.url}/v1/events`, [event]);
    const item = page.locator(`#comments li[data-id="${event.id}"]`);
    await item.waitFor({ timeout: 15_000 });
    console.log(`dashboard-live: feedback visible ${Date.now() - sent} ms after the POST started (bench/dashboard-latency.mjs measures this properly)`);
    expect(await item.locator('.text').textContent()).toBe(comment);
    expect(navigations()).toBe(1);
    expect(await page.locator('#processed').textContent()).not.toBe('0');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a 1-star "broken" comment raises exactly one alert and one webhook call', async () => {
    const { page } = await openDashboard(`${server.url}/dashboard`);
    const before = hook.calls.length;
    const event = ratingEvent('shop', 1, { comment: 'Payment page is broken', path: '/checkout/payment' });
    await postEvents(`${server.url}/v1/events`, [event]);
    // The client retries: the same event again is a duplicate for the collector, not a second alert.
    expect((await postEvents(`${server.url}/v1/events`, [event])).duplicates).toBe(1);
    const alert = page.locator(`#alerts li[data-id="${event.id}"]`);
    await alert.waitFor({ timeout: 15_000 });
    await waitFor(() => hook.calls.length > before, 15_000, 'the webhook call');
    await server.notifier!.idle();
    await new Promise((r) => setTimeout(r, 500));
    expect(await page.locator(`#alerts li[data-id="${event.id}"]`).count()).toBe(1);
    expect(await alert.locator('.rules').textContent()).toBe('Lowest rating + Critical keyword');
    const calls = hook.calls.slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0].text).toContain('/checkout/payment');
    expect(calls[0].text).toContain('Payment page is broken');
    expect(Array.isArray(calls[0].blocks)).toBe(true);
    await expect.poll(() => alert.locator('.detail').textContent()).toContain('webhook: delivered');
    await page.close();
  });

  it('renders HTML in a comment as text; it never runs', async () => {
    const { page } = await openDashboard(`${server.url}/dashboard`);
    const title = await page.title();
    const comment = `<img src=x onerror="document.title='pwned';window.__pwned=1"><script>window.__pwned=2</script> broken`;
    const event = ratingEvent('shop', 1, { comment, path: '/xss' });
    await postEvents(`${server.url}/v1/events`, [event]);
    const item = page.locator(`#comments li[data-id="${event.id}"]`);
    await item.waitFor({ timeout: 15_000 });
    await page.locator(`#alerts li[data-id="${event.id}"]`).waitFor({ timeout: 15_000 });
    await new Promise((r) => setTimeout(r, 300));
    expect(await item.locator('.text').textContent()).toBe(comment);
    expect(await page.locator(`#alerts li[data-id="${event.id}"] .text`).textContent()).toBe(comment);
    expect(await page.locator('#comments img, #alerts img, #comments script, #alerts script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.title()).toBe(title);
    await page.close();
  });

  it('a 2,000-character comment shows a few lines in the feed, and all of it when focused', async () => {
    const { page } = await openDashboard(`${server.url}/dashboard`);
    const comment = `${'The delivery was fine but the parcel was opened. '.repeat(40).slice(0, 1990).trimEnd()} the end`;
    const event = ratingEvent('shop', 3, { comment, path: '/long' });
    await postEvents(`${server.url}/v1/events`, [event]);
    const text = page.locator(`#comments li[data-id="${event.id}"] .text`);
    await text.waitFor({ timeout: 15_000 });
    expect(await text.textContent()).toBe(comment); // all of it is there (screen readers read it all)
    const lineHeight = await text.evaluate((e) => parseFloat(getComputedStyle(e).lineHeight) || 20);
    const clamped = (await text.boundingBox())!.height;
    expect(clamped).toBeLessThanOrEqual(lineHeight * 5 + 2);
    await text.focus();
    expect((await text.boundingBox())!.height).toBeGreaterThan(clamped * 2);
    // A short comment is neither clamped nor a tab stop.
    const short = ratingEvent('shop', 4, { comment: 'Quick and easy', path: '/short' });
    await postEvents(`${server.url}/v1/events`, [short]);
    const shortText = page.locator(`#comments li[data-id="${short.id}"] .text`);
    await shortText.waitFor({ timeout: 15_000 });
    expect(await shortText.getAttribute('tabindex')).toBeNull();
    await page.close();
  });

  it('has no serious or critical accessibility violations (axe), with data on it', async () => {
    const { page } = await openDashboard(`${server.url}/dashboard`);
    await page.locator('#alerts li[data-id]').first().waitFor({ timeout: 15_000 });
    const result = await new AxeBuilder({ page }).analyze();
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(serious).toEqual([]);
    await page.close();
  });

  it('requires FEEDPULSE_DASHBOARD_TOKEN for the page and its stream when set', async () => {
    const guarded = await start({ dashboardToken: 'open-sesame' });
    expect((await fetch(`${guarded.url}/dashboard`)).status).toBe(401);
    expect((await fetch(`${guarded.url}/dashboard/stream`)).status).toBe(401);
    expect((await fetch(`${guarded.url}/dashboard/view.json?token=wrong`)).status).toBe(401);
    expect((await fetch(`${guarded.url}/dashboard/view.json`, { headers: { authorization: 'Bearer open-sesame' } })).status).toBe(200);
    expect((await fetch(`${guarded.url}/dashboard/simulate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
    // The demo page and the collector stay public.
    expect((await fetch(`${guarded.url}/healthz`)).status).toBe(200);

    const { page } = await openDashboard(`${guarded.url}/dashboard?token=open-sesame`);
    expect(new URL(page.url()).search).toBe(''); // traded for a cookie, gone from the address bar
    const event = ratingEvent('shop', 5, { comment: 'Token works' });
    await postEvents(`${guarded.url}/v1/events`, [event]);
    await page.locator(`#comments li[data-id="${event.id}"]`).waitFor({ timeout: 15_000 });
    await page.close();
  });

  it('the simulate button replays traffic through the collector', async () => {
    const sim = await start();
    const { page } = await openDashboard(`${sim.url}/dashboard`);
    await page.getByRole('button', { name: 'Simulate traffic' }).click();
    await page.locator('#sim-status', { hasText: 'sending' }).waitFor({ timeout: 15_000 });
    await waitFor(() => sim.consumer!.processed() > 200, 20_000, 'simulated events counted');
    expect((await sim.view()).volume.byType.click ?? 0).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Simulate traffic' }).isDisabled()).toBe(true);
    await page.close();
    // The simulation would go on for seconds in this process, beside the next tests' servers.
    await sim.close();
  });

  it('after a server restart the open dashboard reconnects by itself and shows unchanged counts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-dash-restart-'));
    dirs.push(dataDir);
    const options = { host: '127.0.0.1', dataDir, collector: { log: false, rateLimit: false } } as const;
    const first = await startFeedpulseServer({ ...options, port: 0 }, {});
    const { page } = await openDashboard(`${first.url}/dashboard`);
    await postEvents(`${first.url}/v1/events`, Array.from({ length: 20 }, (_, i) => ratingEvent('shop', 1 + (i % 5), { comment: `restart ${i}` })));
    await page.locator('body[data-processed="20"]').waitFor({ timeout: 15_000 });
    const before = await page.locator('#distribution').textContent();
    await first.close();
    await page.locator('#conn-text', { hasText: 'reconnecting' }).waitFor({ timeout: 15_000 });

    const second = await startFeedpulseServer({ ...options, port: first.port }, {});
    servers.push(second);
    await page.locator('#conn-text', { hasText: 'live' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('body').getAttribute('data-processed')).toBe('20');
    expect(await page.locator('#distribution').textContent()).toBe(before);
    await postEvents(`${second.url}/v1/events`, [ratingEvent('shop', 5, { comment: 'after restart' })]);
    await page.locator('body[data-processed="21"]').waitFor({ timeout: 15_000 });
    await page.close();
  });

  const demoReady = existsSync('demo/index.html') && existsSync('dist/feedpulse.min.js');
  it.skipIf(!demoReady)(`feedback left with the demo page's widget appears on the dashboard${demoReady ? '' : ' — skipped: demo/index.html or dist/feedpulse.min.js not there yet'}`, async () => {
    const { page: dashboard } = await openDashboard(`${server.url}/dashboard`);
    const shop = await browser.newPage();
    // What the shop's SDK was answered, for the failure message: on a loaded CI machine the one
    // red run of this test gave no clue whether the send, the consumer or the stream was late.
    const answers: string[] = [];
    const t0 = Date.now();
    shop.on('request', (r) => { if (r.url().includes('/v1/events')) answers.push(`${Date.now() - t0} ms: sent ${(r.postData()?.match(/"type":"\w+"/g) ?? []).length} events`); });
    shop.on('response', (r) => { if (r.url().includes('/v1/events')) answers.push(`${Date.now() - t0} ms: ${r.status()}`); });
    shop.on('requestfailed', (r) => { if (r.url().includes('/v1/events')) answers.push(`${Date.now() - t0} ms: failed ${r.failure()?.errorText}`); });
    await shop.goto(`${server.url}/`);
    await shop.getByRole('button', { name: 'Feedback' }).click();
    const dialog = shop.getByRole('dialog');
    await dialog.getByRole('radio', { name: '2 stars' }).click();
    const comment = `Widget says hi ${Date.now()}`;
    await dialog.getByRole('textbox').fill(comment);
    await dialog.getByRole('button', { name: 'Send' }).click();
    await shop.getByRole('status').filter({ hasText: 'Thank you' }).waitFor({ timeout: 15_000 });
    const shown = dashboard.locator('#comments li .text', { hasText: comment });
    const where = async () => `shop sends: ${answers.join(', ') || 'none'}; shop status ${JSON.stringify(await shop.evaluate(() => (window as unknown as { feedpulse?: { status?: () => unknown } }).feedpulse?.status?.()).catch(String))}; ` +
      `dashboard: ${await dashboard.locator('#conn-text').textContent()}, processed ${await dashboard.locator('body').getAttribute('data-processed')}, ` +
      `consumer processed ${server.consumer!.processed()}`;
    try {
      await shown.waitFor({ timeout: 30_000 });
    } catch {
      // Two CI runs (of many) have seen the shop send its first batch and then nothing for 30 s,
      // which no local run under load reproduces. The rating must still arrive (it is in IndexedDB,
      // and the send lock's 30 s request timeout ends any stuck send): the test fails only if it
      // never does, and prints where everything stood at 30 s so the stall can be found.
      const at30 = await where();
      console.warn(`dashboard-live: the widget's rating was not on the dashboard 30 s after it was sent; at 30 s: ${at30}`);
      try {
        await shown.waitFor({ timeout: 40_000 });
      } catch (err) {
        throw new Error(`comment not on the dashboard after 70 s; at 30 s: ${at30}; at 70 s: ${await where()}`, { cause: err });
      }
    }
    await shop.close();
    await dashboard.close();
  }, 100_000);
});
