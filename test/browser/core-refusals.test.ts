// Refusals are said, not retried in silence: a 401/403 answer and a CORS failure (a preflight the
// collector refuses with a 403 that carries no CORS headers, as it does for an origin it does not
// allow) each give an `error` event, and a console line under `debug`. The events stay queued in
// IndexedDB, and go out once the collector lets them in. Offline stays quiet.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { hasChromium } from '../helpers/browser';
import { coreBuilt, openClient, startRig, type Rig } from '../helpers/core';
import { waitFor } from '../helpers/wait';

type Win = Window & {
  fp: import('../../src/core/types').FeedpulseClient;
  fpLog: { name: string; status?: number; message?: string; count?: number }[];
};
const skip = !hasChromium ? 'no Chromium' : !coreBuilt ? 'dist/core.js missing: run npm run build' : '';
const errors = async (page: Page) => (await page.evaluate(() => (window as unknown as Win).fpLog)).filter((l) => l.name === 'error');
const pending = (page: Page) => page.evaluate(() => (window as unknown as Win).fp.status().pending);
const track = (page: Page, name: string) => page.evaluate((n) => (window as unknown as Win).fp.track(n), name);

/** A collector on another origin that refuses the page's origin the way src/collector/cors.ts
 *  does (preflight 403, JSON body, no CORS headers) until `allow` is set. */
function startStrictCollector() {
  const seen = { preflights: 0, posts: 0, delivered: 0 };
  let allow = false;
  const cors = (req: IncomingMessage) => ({
    'access-control-allow-origin': String(req.headers.origin), 'access-control-allow-headers': 'content-type',
    'access-control-allow-methods': 'POST, OPTIONS',
  });
  const server: Server = createServer(async (req, res) => {
    if (req.method === 'OPTIONS') {
      seen.preflights++;
      if (!allow) return void res.writeHead(403, { 'content-type': 'application/json' }).end('{"error":"origin_not_allowed"}');
      return void res.writeHead(204, cors(req)).end();
    }
    seen.posts++;
    let body = '';
    for await (const chunk of req) body += chunk;
    const events = (JSON.parse(body) as { events: unknown[] }).events;
    seen.delivered += events.length;
    res.writeHead(200, { 'content-type': 'application/json', ...cors(req) }).end(JSON.stringify({ accepted: events.length, duplicates: 0, rejected: [] }));
  });
  return {
    seen,
    allow: () => { allow = true; },
    listen: () => new Promise<string>((r) => server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/events`))),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

describe.skipIf(skip)('refused sends in Chromium', () => {
  let rig: Rig;
  beforeEach(async () => { rig = await startRig(); });
  afterEach(async () => { await rig.close(); });

  it('403 with the collector\'s message: `error` carries it, a debug line, the events kept and sent after flush()', async () => {
    let deny = true;
    rig.ep.respond(() => (deny ? { status: 403, body: { error: 'origin_not_allowed', message: 'this Origin is not one the collector allows (FEEDPULSE_ORIGINS)' } } : undefined));
    const page = await openClient(rig, { debug: true });
    const debugLines: string[] = [];
    page.on('console', (m) => { if (m.type() === 'debug') debugLines.push(m.text()); });
    await track(page, 'refused');
    await waitFor(() => rig.ep.received.length === 1, 5000, 'the refused send');
    await expect.poll(() => errors(page)).toEqual([{
      name: 'error', status: 403,
      message: 'HTTP 403: this Origin is not one the collector allows (FEEDPULSE_ORIGINS); paused',
    }]);
    expect(debugLines.some((l) => l.includes('HTTP 403: this Origin is not one the collector allows'))).toBe(true);
    expect(await pending(page)).toBe(1);
    deny = false;
    expect(await page.evaluate(() => (window as unknown as Win).fp.flush())).toEqual({ sent: 1, pending: 0 });
  });

  describe('CORS', () => {
    let strict: ReturnType<typeof startStrictCollector>;
    let endpoint: string;
    beforeEach(async () => { strict = startStrictCollector(); endpoint = await strict.listen(); });
    afterEach(async () => { await strict.close(); });

    it('a refused preflight: `error` on each failed try while online, the events kept in IndexedDB, delivered once allowed', async () => {
      const page = await openClient(rig, { endpoint, debug: true, maxRetryDelay: 400 });
      const debugLines: string[] = [];
      page.on('console', (m) => { if (m.type() === 'debug') debugLines.push(m.text()); });
      await track(page, 'cross-origin');
      await waitFor(() => strict.seen.preflights >= 2, 10000, 'a retried preflight');
      const said = await errors(page);
      expect(said.length).toBeGreaterThanOrEqual(1);
      expect(said[0]).toMatchObject({ status: 0 });
      expect(said[0].message).toBe(`TypeError: Failed to fetch from ${endpoint} (CORS refusal, no connection or timeout); retrying`);
      expect(debugLines.some((l) => l.includes('(CORS refusal, no connection or timeout)'))).toBe(true);
      expect(strict.seen.posts).toBe(0);
      expect(await pending(page)).toBe(1);
      // Kept in IndexedDB, not only in this page's memory: a reload still has it.
      await page.reload();
      await page.waitForFunction(() => (window as unknown as { fpReady?: boolean }).fpReady);
      strict.allow();
      await page.evaluate((c) => (window as unknown as { fpStart(c: unknown): void }).fpStart(c), {
        endpoint, project: 'core-test', pageviews: false, autocapture: 'off', flushInterval: 50, maxRetryDelay: 400,
      });
      await waitFor(() => strict.seen.delivered === 1, 10000, 'delivery once the origin is allowed');
      await expect.poll(() => pending(page)).toBe(0);
    });

    it('offline: nothing is tried and no `error` is said; back online the refusal is tried and said', async () => {
      const page = await openClient(rig, { endpoint, maxRetryDelay: 400 });
      await page.waitForTimeout(200);
      await rig.context.setOffline(true);
      await track(page, 'offline');
      await page.waitForTimeout(600);
      expect(await errors(page)).toEqual([]);
      expect(strict.seen.preflights).toBe(0);
      await rig.context.setOffline(false);
      await waitFor(() => strict.seen.preflights >= 1, 10000, 'a send after reconnecting');
      await expect.poll(async () => (await errors(page)).length).toBeGreaterThan(0);
      expect(await pending(page)).toBe(1);
    });
  });
});
