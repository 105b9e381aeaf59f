// Section 4: drain. N marker events made while offline (page kept open), then the network comes
// back: time from reconnect until every event was accepted by the endpoint, and events/s. An SDK
// that stops making progress for `stallMs` is cut off and reported with what had arrived.
import { sdksFor, withSdkPage, trackMarkers, sleep } from '../lib/harness.mjs';

// Feedpulse's default outbox cap is 5,000 events; a 10,000-event drain needs the cap raised, as a
// user expecting that many offline events would (documented in BENCHMARKS.md).
const FEEDPULSE_DRAIN_CONFIG = { maxQueueEvents: 20_000, maxQueueBytes: 50_000_000 };

async function waitDrain(endpoint, n, timeoutMs, stallMs) {
  const t0 = performance.now();
  let last = -1;
  let lastChange = t0;
  for (;;) {
    const { distinct, duplicates, requests } = endpoint.counts();
    const now = performance.now();
    if (distinct !== last) { last = distinct; lastChange = now; }
    if (distinct >= n) return { ms: (await endpoint.waitFor(n, 1)) - t0, distinct, duplicates, requests, complete: true };
    if (now - t0 > timeoutMs || now - lastChange > stallMs) return { ms: lastChange - t0, distinct, duplicates, requests, complete: false };
    await sleep(50);
  }
}

export async function runDrain(ctx) {
  const rows = [];
  const skipped = [];
  const n = ctx.sizes.drainEvents;
  const stallMs = ctx.quick ? 5_000 : 15_000;
  for (const sdk of sdksFor(ctx, ['posthog', 'segment', 'rudderstack', 'sentry-offline'])) {
    ctx.endpoint.reset();
    try {
      const row = await withSdkPage(ctx, sdk, sdk.id === 'feedpulse' ? { feedpulse: FEEDPULSE_DRAIN_CONFIG } : {}, async (page, context) => {
        await sleep(1000);
        await context.setOffline(true);
        const made = await trackMarkers(page, 0, n, 60_000, ctx.quick ? 10_000 : 60_000);
        await sleep(1000);
        const pending = await page.evaluate(() => (window.bench.pending ? window.bench.pending() : undefined));
        await context.setOffline(false);
        const d = await waitDrain(ctx.endpoint, made.made, ctx.sizes.drainTimeoutMs, stallMs);
        return { id: sdk.id, label: sdk.label, made: made.made, asked: n, storeMs: made.ms, pendingBefore: pending, ...d, eventsPerSec: d.distinct / (d.ms / 1000) };
      });
      rows.push(row);
    } catch (error) { skipped.push(`${sdk.label}: ${String(error.message ?? error).split('\n')[0]}`); }
  }
  return { rows, skipped, n, feedpulseConfig: FEEDPULSE_DRAIN_CONFIG };
}
