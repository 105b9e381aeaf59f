// Section 6: memory with N events queued offline: JS heap growth (after forced GC, via CDP) and what
// the queue occupies in IndexedDB (navigator.storage.estimate usageDetails) and localStorage.
import { sdksFor, withSdkPage, trackMarkers, cdp, sleep } from '../lib/harness.mjs';

const storage = (page) => page.evaluate(async () => {
  const est = await navigator.storage.estimate();
  let local = 0;
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    local += (k.length + (localStorage.getItem(k) ?? '').length) * 2; // UTF-16, as Chromium counts it
  }
  return { indexedDB: est.usageDetails?.indexedDB ?? 0, total: est.usage ?? 0, localStorage: local };
});

export async function runMemory(ctx) {
  const rows = [];
  const skipped = [];
  const n = ctx.sizes.memoryEvents;
  for (const sdk of sdksFor(ctx, ['posthog', 'segment', 'rudderstack', 'sentry-offline'])) {
    try {
      const row = await withSdkPage(ctx, sdk, {}, async (page, context) => {
        await sleep(1000);
        await context.setOffline(true);
        const probe = await cdp(page);
        const heapBefore = await probe.heapUsed();
        const storeBefore = await storage(page);
        const made = await trackMarkers(page, 0, n, 60_000, ctx.quick ? 10_000 : 60_000);
        await sleep(2000);
        const heapAfter = await probe.heapUsed();
        const storeAfter = await storage(page);
        const pending = await page.evaluate(() => (window.bench.pending ? window.bench.pending() : undefined));
        await probe.detach();
        return { id: sdk.id, label: sdk.label, events: made.made, heapBefore, heapAfter, heapDelta: heapAfter - heapBefore,
          idbDelta: storeAfter.indexedDB - storeBefore.indexedDB, localDelta: storeAfter.localStorage - storeBefore.localStorage,
          pending, storedInTime: made.allSettled };
      });
      rows.push(row);
    } catch (error) { skipped.push(`${sdk.label}: ${String(error.message ?? error).split('\n')[0]}`); }
  }
  return { rows, skipped, n };
}
