// What the browser sections share: the list of SDKs to run (Feedpulse always, anchors when their
// adapter bundled), a fresh browser context per scenario, CDP helpers for heap and task time.
import { FEEDPULSE, ANCHORS } from './sdks.mjs';
import { adapterPage } from './pages.mjs';
import { openBenchPage } from './browser.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Feedpulse plus every anchor whose adapter was bundled, optionally filtered by id. */
export function sdksFor(ctx, ids) {
  const anchors = ANCHORS.filter((a) => ctx.readyAnchors.has(a.id) && (!ids || ids.includes(a.id)));
  return [FEEDPULSE, ...anchors];
}

/**
 * A fresh browser context (empty storage, like a first visit). The user agent drops "Headless":
 * PostHog, like several SDKs, discards events from user agents it takes for bots, and a visitor's
 * browser is not headless. Every SDK gets the same user agent.
 */
export function newContext(ctx) {
  const userAgent = ctx.userAgent ?? undefined;
  return ctx.browser.newContext({ userAgent });
}

/** Run fn(page, context) on a fresh context with the SDK's page loaded; closes everything after. */
export async function withSdkPage(ctx, sdk, extra, fn) {
  const context = await newContext(ctx);
  try {
    const page = await openBenchPage(context, adapterPage(ctx.endpoint, sdk, extra));
    return await fn(page, context);
  } finally {
    await context.close().catch(() => {});
  }
}

/**
 * Call window.bench.track n times as markers bench_evt_<from..from+n-1>, then wait (bounded) for any
 * promises the calls returned. An SDK whose calls get slower as its queue grows is cut off after
 * `budgetMs`; `made` says how many events it got.
 */
export function trackMarkers(page, from, n, settleMs = 10_000, budgetMs = 60_000) {
  return page.evaluate(async ({ from, n, settleMs, budgetMs }) => {
    const results = [];
    const start = performance.now();
    let made = 0;
    for (let i = from; i < from + n; i++) {
      results.push(window.bench.track(`bench_evt_${i}`, { i, plan: 'pro', cart: 42.5 }));
      made += 1;
      if ((made & 63) === 0 && performance.now() - start > budgetMs) break;
    }
    const callMs = performance.now() - start;
    const promises = results.filter((r) => r && typeof r.then === 'function').map((p) => p.catch(() => undefined));
    const t0 = performance.now();
    const done = await Promise.race([Promise.all(promises).then(() => true), new Promise((r) => setTimeout(() => r(false), settleMs))]);
    return { made, cutOff: made < n, callMs, awaited: promises.length, allSettled: done, ms: performance.now() - t0 };
  }, { from, n, settleMs, budgetMs });
}

export async function cdp(page) {
  const session = await page.context().newCDPSession(page);
  // Thread CPU time, not wall time: on a shared machine, time the renderer spends preempted by other
  // processes would otherwise be billed to whichever SDK was running.
  await session.send('Performance.enable', { timeDomain: 'threadTicks' });
  return {
    async metrics() {
      const { metrics } = await session.send('Performance.getMetrics');
      return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
    },
    async heapUsed() {
      await session.send('HeapProfiler.collectGarbage');
      await session.send('HeapProfiler.collectGarbage');
      const { usedSize } = await session.send('Runtime.getHeapUsage');
      return usedSize;
    },
    detach: () => session.detach().catch(() => {}),
  };
}
