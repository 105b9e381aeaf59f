// Several tabs share one IndexedDB outbox; exactly one sends at a time (Web Locks, or the
// localStorage lease where Web Locks are missing). Run in real Chromium with a persistent profile.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium } from '../helpers/browser';
import { coreBuilt, duplicates, openClient, postedEvents, startRig, type Rig } from '../helpers/core';
import { waitFor } from '../helpers/wait';

type Win = Window & { fp: import('../../src/core/types').FeedpulseClient };
const skip = !hasChromium ? 'no Chromium' : !coreBuilt ? 'dist/core.js missing: run npm run build' : '';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 100 tracks in bursts of 10, so both tabs write and send at the same time. */
const track100 = (page: Page, tab: string) => page.evaluate(async (t) => {
  for (let i = 0; i < 100; i += 10) {
    await Promise.all(Array.from({ length: 10 }, (_, j) => (window as unknown as Win).fp.track(`${t}-${i + j}`)));
    await new Promise((r) => setTimeout(r, 15));
  }
}, tab);

async function twoTabs(rig: Rig, withoutWebLocks: boolean) {
  // A slow collector widens the window in which two senders could pick the same events.
  rig.ep.respond(async () => { await sleep(20); return undefined; });
  const pages: Page[] = [];
  for (let i = 0; i < 2; i++) {
    const page = await rig.context.newPage();
    if (withoutWebLocks) await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined }));
    pages.push(await openClient(rig, { flushInterval: 30, batchSize: 10 }, page));
  }
  if (withoutWebLocks) expect(await pages[0].evaluate(() => 'locks' in navigator && navigator.locks)).toBeFalsy();
  await Promise.all([track100(pages[0], 'a'), track100(pages[1], 'b')]);
  await waitFor(() => new Set(rig.ep.acceptedIds()).size >= 200, 20000, '200 events');
  await sleep(500);
  const names = postedEvents(rig.ep.received).map((e) => (e.data as { name: string }).name);
  expect(new Set(names).size).toBe(200);
  expect(duplicates(rig.ep.acceptedIds())).toEqual([]);
  expect(names).toHaveLength(200);
}

describe.skipIf(skip)('core multi-tab delivery in Chromium', () => {
  let rig: Rig;
  beforeEach(async () => { rig = await startRig(); });
  afterEach(async () => { await rig.close(); });

  it('two tabs sending 100 events each: 200 arrive, none twice (Web Locks)', async () => {
    await twoTabs(rig, false);
  });

  it('two tabs sending 100 events each: 200 arrive, none twice (localStorage lease fallback)', async () => {
    await twoTabs(rig, true);
  });

  it('a tab closed mid-send hands over to the other tab without loss', async () => {
    let first = true;
    // The first batch (tab A's) is answered slowly with 503, so it is still unconfirmed when A closes.
    rig.ep.respond(async () => {
      if (!first) return undefined;
      first = false;
      await sleep(1500);
      return { status: 503 };
    });
    // Batches of 10: when A closes, its second batch has been read by A's drain but not sent. The
    // lock passes to B, which sends it; A must not also send it on the way out.
    const a = await openClient(rig, { flushInterval: 30, batchSize: 10 });
    const b = await openClient(rig, { flushInterval: 30 });
    await sleep(200);
    await a.evaluate(() => Promise.all(Array.from({ length: 20 }, (_, i) => (window as unknown as Win).fp.track(`a-${i}`))));
    await waitFor(() => rig.ep.received.length === 1, 5000, "tab A's send");
    // B queues behind A's lock with its own events while A's request hangs.
    await b.evaluate(() => Promise.all(Array.from({ length: 5 }, (_, i) => (window as unknown as Win).fp.track(`b-${i}`))));
    await a.close();
    await waitFor(() => new Set(rig.ep.acceptedIds()).size >= 25, 15000, 'all 25 events via tab B');
    const accepted = postedEvents(rig.ep.received.slice(1));
    expect(new Set(accepted.map((e) => (e.data as { name: string }).name)).size).toBe(25);
    expect(duplicates(rig.ep.acceptedIds())).toEqual([]);
    expect(await b.evaluate(() => (window as unknown as Win).fp.flush())).toMatchObject({ pending: 0 });
  });

  it("a tab that closes does not send on its way out the events another tab's drain has taken", async () => {
    // Every answer takes 1.5 s, so B closes while A's request with B's events is still open.
    rig.ep.respond(async () => { await sleep(1500); return undefined; });
    const a = await openClient(rig, { flushInterval: 30 });
    const b = await openClient(rig, { flushInterval: 60000 }); // B's own drain does not run meanwhile
    await sleep(200);
    await b.evaluate(() => Promise.all(Array.from({ length: 20 }, (_, i) => (window as unknown as Win).fp.track(`b-${i}`))));
    // A's next drain reads the outbox (B's 20 and A's 1) and sends it; it tells B which ids it took.
    await a.evaluate(() => (window as unknown as Win).fp.track('a-0'));
    await waitFor(() => rig.ep.received.length >= 1, 5000, "A's send");
    expect(postedEvents(rig.ep.received)).toHaveLength(21);
    // Messages on the channel that are not lists of ids (another script using the name) are ignored.
    const pageErrors: string[] = [];
    a.on('pageerror', (e) => pageErrors.push(String(e)));
    await b.evaluate(() => { const c = new BroadcastChannel('feedpulse:core-test'); c.postMessage('garbage'); c.postMessage({ n: 1 }); c.postMessage(null); c.close(); });
    await b.close({ runBeforeUnload: true });
    await waitFor(() => new Set(rig.ep.acceptedIds()).size >= 21, 10000, 'all 21 accepted');
    await sleep(2000); // a page-leave send from B would have arrived by now
    expect(duplicates(rig.ep.acceptedIds())).toEqual([]);
    expect(rig.ep.received).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });
});
