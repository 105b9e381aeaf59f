// Section 2: main-thread cost in real Chromium.
// (a) µs per track() call, timed one by one with performance.now() (5 µs resolution: the pages are
//     cross-origin isolated), in bursts of 100 calls with a macrotask between bursts, plus all main-thread task time the calls cause, deferred work included
//     (CDP TaskDuration from just before the loop until the page is quiet again).
// (b) what the script tag adds to page load: long tasks (>50 ms) and script time beside a blank page.
import { sdksFor, withSdkPage, cdp, sleep, newContext } from '../lib/harness.mjs';
import { loadPage } from '../lib/pages.mjs';
import { summarize, median } from '../lib/stats.mjs';
import { ANCHORS, TRACK_ANCHORS, LOAD_VARIANTS } from '../lib/sdks.mjs';

export async function runTrackCost(ctx) {
  const rows = [];
  const skipped = [];
  for (const sdk of sdksFor(ctx, TRACK_ANCHORS)) {
    try {
      const row = await withSdkPage(ctx, sdk, {}, async (page) => {
        await sleep(1500); // let the SDK finish its start-up requests and timers
        const probe = await cdp(page);
        const before = await probe.metrics();
        // Bursts of 100 calls with a macrotask between them, as on a page that tracks as the user acts:
        // each SDK's deferred work (storage writes, batching, sends) runs during the test, not only after.
        const result = await page.evaluate(async ({ n, budgetMs }) => {
          const times = new Float64Array(n);
          let returnsPromise = false;
          const t0 = performance.now();
          let done = 0;
          let inCalls = 0;
          while (done < n && performance.now() - t0 < budgetMs) {
            const burstEnd = Math.min(n, done + 100);
            const b0 = performance.now();
            for (; done < burstEnd; done++) {
              const a = performance.now();
              const r = window.bench.track('bench_mt', { i: done, plan: 'pro', cart: 42.5 });
              times[done] = performance.now() - a;
              if (r && typeof r.then === 'function') { returnsPromise = true; r.catch(() => {}); }
            }
            inCalls += performance.now() - b0;
            await new Promise((r) => setTimeout(r, 0));
          }
          return { times: Array.from(times.subarray(0, done)), loopMs: inCalls, isolated: self.crossOriginIsolated, returnsPromise };
        }, { n: ctx.sizes.trackCalls, budgetMs: ctx.quick ? 10_000 : 60_000 });
        await sleep(ctx.quick ? 1000 : 4000); // deferred work: storage writes, batching, sends
        const after = await probe.metrics();
        await probe.detach();
        const s = summarize(result.times.map((ms) => ms * 1000));
        return {
          id: sdk.id, label: sdk.label, call: sdk.id === 'feedpulse' ? 'client.track()' : sdk.call, calls: result.times.length, asked: ctx.sizes.trackCalls,
          medianUs: s.median, p99Us: s.p99, maxUs: s.max, meanUs: (result.loopMs * 1000) / result.times.length,
          taskMs: (after.TaskDuration - before.TaskDuration) * 1000, scriptMs: (after.ScriptDuration - before.ScriptDuration) * 1000,
          isolated: result.isolated,
        };
      });
      rows.push(row);
    } catch (error) { skipped.push(`${sdk.label}: ${String(error.message ?? error).split('\n')[0]}`); }
  }
  return { rows, skipped };
}

/** The script tag each SDK would be added with. Anchors load their harness bundle (SDK + init). */
function tagFor(ctx, sdk, attributes = '') {
  if (sdk.id === 'feedpulse') return `<script src="/dist/feedpulse.min.js" async data-endpoint="${ctx.endpoint.origin}/v1/events" data-project="bench"${attributes}></script>`;
  return `<script src="${sdk.adapter}" async></script>`;
}

// What each subject does on load, and which Feedpulse row does the same (the ratio's denominator):
// `feedpulse` sends a pageview and shows its launcher, as PostHog sends a pageview and Segment's and
// RudderStack's snippets a page event; `feedpulse-quiet` (pageviews off) sends nothing and shows its
// launcher, as Sentry shows its feedback button and sends nothing (its session tracking needs a
// `release`, which its defaults do not set), and as Segment and RudderStack loaded without page().
const ON_LOAD = {
  feedpulse: ['a pageview sent, launcher shown', 'feedpulse'],
  'feedpulse-quiet': ['launcher shown, nothing sent', 'feedpulse-quiet'],
  posthog: ['a pageview sent (its default)', 'feedpulse'],
  segment: ['nothing sent', 'feedpulse-quiet'],
  'segment-page': ['a page event sent', 'feedpulse'],
  rudderstack: ['nothing sent', 'feedpulse-quiet'],
  'rudderstack-page': ['a page event sent', 'feedpulse'],
  sentry: ['feedback button shown, nothing sent', 'feedpulse-quiet'],
};

/** Feedpulse twice (as installed, and with pageviews off), each anchor, and the anchors' snippet variants. */
function loadSubjects(ctx) {
  const [feedpulse, ...anchors] = sdksFor(ctx, ANCHORS.map((a) => a.id).filter((id) => id !== 'sentry-offline'));
  const variants = LOAD_VARIANTS.filter((v) => ctx.readyAnchors.has(v.of));
  const anchorRows = anchors.flatMap((sdk) => [sdk, ...variants.filter((v) => v.of === sdk.id)])
    .map((sdk) => ({ id: sdk.id, label: sdk.label.replace(' (default transport)', ''), tag: tagFor(ctx, sdk), sdk }));
  return [
    { id: 'baseline', label: 'blank page (baseline)', tag: '' },
    { id: 'feedpulse', label: 'Feedpulse script tag (SDK + widget)', tag: tagFor(ctx, feedpulse), sdk: feedpulse },
    { id: 'feedpulse-quiet', label: 'Feedpulse script tag, `data-pageviews="false"`', tag: tagFor(ctx, feedpulse, ' data-pageviews="false"'), sdk: feedpulse },
    ...anchorRows,
  ].map((s) => ({ ...s, onLoad: ON_LOAD[s.id]?.[0] ?? '', peer: ON_LOAD[s.id]?.[1] }));
}

async function measureLoad(ctx, url, expectReady) {
  const context = await newContext(ctx);
  try {
    const page = await context.newPage();
    const probe = await cdp(page);
    // Script bytes the page fetched (as served, uncompressed), before `load` and in all.
    let loaded = false;
    const scripts = { startUp: 0, all: 0, files: 0 };
    page.on('response', async (response) => {
      if (response.request().resourceType() !== 'script') return;
      const before = !loaded;
      const bytes = (await response.body().catch(() => Buffer.alloc(0))).length;
      scripts.all += bytes;
      scripts.files++;
      if (before) scripts.startUp += bytes;
    });
    page.once('load', () => { loaded = true; });
    await page.goto(url, { waitUntil: 'load' });
    await sleep(ctx.quick ? 800 : 3000); // work an SDK defers until after load counts too
    const m = await probe.metrics();
    const longTasks = await page.evaluate(() => window.benchLongTasks);
    // The SDK must have started, or its cost is not what was measured.
    const state = await page.evaluate(() => window.benchState ?? (window.feedpulse ? 'ready' : 'no window.feedpulse'));
    if (expectReady && state !== 'ready') throw new Error(`${url}: SDK not started after load (${state})`);
    await probe.detach();
    return { jsStartUp: scripts.startUp, jsAll: scripts.all, jsFiles: scripts.files, longTasks: longTasks.length, longMs: longTasks.reduce((a, t) => a + t.duration, 0), maxLongMs: Math.max(0, ...longTasks.map((t) => t.duration)), scriptMs: m.ScriptDuration * 1000, taskMs: m.TaskDuration * 1000 };
  } finally { await context.close().catch(() => {}); }
}

export async function runLoadCost(ctx) {
  const subjects = loadSubjects(ctx);
  const urls = Object.fromEntries(subjects.map((s) => [s.id, loadPage(ctx.endpoint, s.id, s.tag, s.sdk?.config)]));
  const runs = Object.fromEntries(subjects.map((s) => [s.id, []]));
  // Interleave subjects run by run so a burst of load on the shared machine hits everyone alike.
  for (let r = 0; r < ctx.sizes.loadRuns; r++) {
    for (const s of subjects) runs[s.id].push(await measureLoad(ctx, urls[s.id], s.id !== 'baseline'));
  }
  const base = { scriptMs: median(runs.baseline.map((x) => x.scriptMs)), taskMs: median(runs.baseline.map((x) => x.taskMs)) };
  const rows = subjects.map((s) => {
    const list = runs[s.id];
    return {
      id: s.id, label: s.label, onLoad: s.onLoad, peer: s.peer, runs: list.length,
      longTasks: median(list.map((x) => x.longTasks)), longMs: median(list.map((x) => x.longMs)), maxLongMs: Math.max(...list.map((x) => x.maxLongMs)),
      scriptMs: median(list.map((x) => x.scriptMs)), taskMs: median(list.map((x) => x.taskMs)),
      jsStartUp: median(list.map((x) => x.jsStartUp)), jsAll: median(list.map((x) => x.jsAll)), jsFiles: median(list.map((x) => x.jsFiles)),
      addedScriptMs: median(list.map((x) => x.scriptMs)) - base.scriptMs,
      addedTaskMs: median(list.map((x) => x.taskMs)) - base.taskMs,
    };
  });
  return { rows, skipped: [] };
}
