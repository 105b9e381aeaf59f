// In a real browser, a page on an origin the collector does not allow can read the refusal's
// `message` (simple text/plain posts), and a refused preflight still blocks the request itself.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchChromium, hasChromium } from '../helpers/browser';
import { batchOf, feedbackEvent } from '../helpers/events';
import { startCollector, type Running } from '../helpers/collector';

let c: Running;
let page: Server;
let pageOrigin: string;
let browser: Browser;

beforeAll(async () => {
  c = await startCollector({ allowedOrigins: ['https://shop.example'] });
  page = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>other site</title>'));
  await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
  pageOrigin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => page?.close(r));
  await c?.stop();
});

describe.skipIf(!hasChromium)('a refused origin, seen from the browser', () => {
  it('reads {error, message} of a refused text/plain post; a refused preflight blocks the JSON post', async () => {
    const tab = await browser.newPage();
    await tab.goto(pageOrigin);
    const body = batchOf([feedbackEvent('shop-web')]);
    const simple = await tab.evaluate(async ({ url, body }) => {
      const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'text/plain' } });
      return { status: res.status, json: await res.json() };
    }, { url: c.url, body });
    expect(simple.status).toBe(403);
    expect(simple.json).toMatchObject({ error: 'origin_not_allowed', message: expect.stringContaining('FEEDPULSE_ORIGINS') });
    const preflighted = await tab.evaluate(async ({ url, body }) => {
      try {
        await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
        return 'sent';
      } catch (err) {
        return (err as Error).name;
      }
    }, { url: c.url, body });
    expect(preflighted).toBe('TypeError');
    // The preflight was refused, logged, and the JSON post itself never arrived.
    expect(c.logs.filter((l) => l.msg === 'preflight_refused')).toHaveLength(1);
    expect(c.logs.filter((l) => l.msg === 'ingest')).toHaveLength(1);
    await tab.close();
  });
});
