// The collector unreachable for a full minute, then back: the SDK keeps retrying with capped,
// jittered backoff (maxRetryDelay 5 s here) and delivers everything once the network path returns.
// The outage is real at the TCP level: a forwarding proxy in front of the test endpoint resets
// every connection while "down".
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hasChromium } from '../helpers/browser';
import { coreBuilt, duplicates, openClient, postedEvents, startRig, type Rig } from '../helpers/core';
import { waitFor } from '../helpers/wait';

type Win = Window & { fp: import('../../src/core/types').FeedpulseClient };
const skip = !hasChromium ? 'no Chromium' : !coreBuilt ? 'dist/core.js missing: run npm run build' : '';
const OUTAGE_MS = 60_000;

describe.skipIf(skip)('core outage recovery in Chromium', () => {
  let rig: Rig;
  let proxy: Server;
  let down = false;
  let refused = 0;
  beforeAll(async () => {
    rig = await startRig();
    const target = new URL(rig.ep.origin);
    proxy = createServer((req, res) => {
      const up = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    });
    proxy.on('connection', (socket) => { if (down) { refused++; socket.destroy(); } });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    proxy?.closeAllConnections();
    await new Promise((r) => proxy?.close(r));
    await rig?.close();
  });

  it('unreachable for a minute, then back: every event arrives once', { timeout: OUTAGE_MS + 60_000 }, async () => {
    const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1/events`;
    const page = await openClient(rig, { endpoint, maxRetryDelay: 5000 });
    await page.waitForTimeout(200);
    down = true;
    proxy.closeAllConnections(); // kept-alive sockets from page load would bypass the outage
    await page.evaluate(() => Promise.all(Array.from({ length: 30 }, (_, i) => (window as unknown as Win).fp.track(`outage-${i}`))));
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    const status = await page.evaluate(() => (window as unknown as Win).fp.status());
    expect(status.pending).toBe(30);
    expect(rig.ep.received).toHaveLength(0);
    // Retries went on through the minute, but spaced out by the backoff (not a tight loop).
    expect(refused).toBeGreaterThanOrEqual(8);
    expect(refused).toBeLessThan(200);
    down = false;
    const back = Date.now();
    await waitFor(() => rig.ep.acceptedIds().length >= 30, 15000, 'delivery after the outage');
    const recoveredIn = Date.now() - back;
    expect(recoveredIn).toBeLessThan(5000 + 2000); // at most one capped wait (+ slack)
    await page.waitForTimeout(500);
    expect(postedEvents(rig.ep.received)).toHaveLength(30);
    expect(duplicates(rig.ep.acceptedIds())).toEqual([]);
    console.log(`outage: ${refused} connection attempts refused in ${OUTAGE_MS / 1000} s; recovered ${recoveredIn} ms after the endpoint came back`);
  });
});
