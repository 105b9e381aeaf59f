// Section 3: offline survival. In one browser context (storage kept, as for a returning visitor):
// open the page online, go offline, make N marker events, give every SDK the same time to store them,
// close the page (pagehide fires), come back online, reopen the page and wait. Count the distinct
// markers that reached the endpoint, and any that arrived twice.
import { sdksFor, trackMarkers, sleep, newContext } from '../lib/harness.mjs';
import { adapterPage } from '../lib/pages.mjs';
import { openBenchPage } from '../lib/browser.mjs';

const CONTROL = 5;

export async function runOffline(ctx) {
  const rows = [];
  const skipped = [];
  const n = ctx.sizes.offlineEvents;
  for (const sdk of sdksFor(ctx)) {
    ctx.endpoint.reset();
    const context = await newContext(ctx);
    try {
      const url = adapterPage(ctx.endpoint, sdk);
      const first = await openBenchPage(context, url);
      // Control: a few events made online must arrive, or the SDK is not wired to the endpoint at all.
      await trackMarkers(first, 1_000_000, CONTROL);
      const controlArrived = (await ctx.endpoint.waitFor(CONTROL, 8000)) !== null;
      const control = ctx.endpoint.counts().distinct;
      ctx.endpoint.reset();
      await context.setOffline(true);
      const made = await trackMarkers(first, 0, n);
      await sleep(2000); // the same grace for every SDK before the tab closes
      const beforeClose = ctx.endpoint.counts().distinct; // should be 0: the browser is offline
      await first.close(); // pagehide and unload run; beforeunload is not needed by any SDK here
      await context.setOffline(false);
      const reopenedAt = performance.now();
      const second = await openBenchPage(context, url);
      const arrivedAt = await ctx.endpoint.waitFor(n, ctx.sizes.reopenWaitMs);
      await sleep(arrivedAt === null ? 500 : 1500); // late duplicates would show up here
      const c = ctx.endpoint.counts();
      await second.close();
      rows.push({ id: sdk.id, label: sdk.label, made: n, control: `${control}/${CONTROL}`, controlArrived, arrived: c.distinct, lastArrivalS: c.distinct ? (c.lastNewAt - reopenedAt) / 1000 : undefined, duplicates: c.duplicates, leakedWhileOffline: beforeClose, awaited: made.awaited, storedInTime: made.allSettled });
    } catch (error) {
      skipped.push(`${sdk.label}: ${String(error.message ?? error).split('\n')[0]}`);
    } finally {
      await context.close().catch(() => {});
    }
  }
  return { rows, skipped, n, waitS: ctx.sizes.reopenWaitMs / 1000 };
}
