#!/usr/bin/env node
// How long track() holds the main thread, in real Chromium, over 10,000 calls.
// Usage: npm run build (or FP_ONLY=core npx rollup -c), then node bench/core-track.mjs [--json]
//
// The page is cross-origin isolated (COOP/COEP), which gives performance.now() 5 µs resolution
// instead of 100 µs. Single calls are below that, so two views are printed:
//   per call    — each call timed alone (values are multiples of the timer's resolution),
//   per call in groups of 10 — ten consecutive calls timed together, divided by ten.
// Calls run in bursts of 100 with a macrotask between bursts, so IndexedDB writes and sends
// happen during the run as they would on a real page (track() must stay cheap regardless).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-dev-shm-usage'];
const CALLS = 10_000;
const isolated = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

const PAGE = `<!doctype html><title>track bench</title><script type="module">
import { createClient } from '/dist/core.js';
window.bench = async (calls) => {
  const fp = createClient({ endpoint: '/v1/events', project: 'bench', pageviews: false, autocapture: 'off' });
  const single = [], grouped = [];
  const props = { plan: 'pro', step: 3, email: 'someone@example.com' }; // the scrubber has work to do
  for (let i = 0; i < 1000; i++) fp.track('warm-up', props); // JIT warm-up, not measured
  await new Promise((r) => setTimeout(r, 50));
  let stored;
  for (let done = 0; done < calls; done += 100) {
    for (let i = 0; i < 100; i += 10) {
      const g0 = performance.now();
      for (let j = 0; j < 10; j++) {
        const t0 = performance.now();
        stored = fp.track('checkout_step', props);
        single.push(performance.now() - t0);
      }
      grouped.push((performance.now() - g0) / 10);
    }
    await new Promise((r) => setTimeout(r, 0));
  }
  await stored; // the last event is in IndexedDB
  const flushed = await fp.flush();
  return { single, grouped, isolated: crossOriginIsolated, flushed, storage: fp.status().storage };
};
</script>`;

const server = createServer(async (req, res) => {
  if (req.method === 'POST') {
    let n = 0;
    for await (const c of req) n += c.length;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: 0, duplicates: 0, rejected: [], bytes: n }));
    return;
  }
  if (req.url === '/') { res.writeHead(200, { 'content-type': 'text/html', ...isolated }).end(PAGE); return; }
  if (req.url === '/dist/core.js') {
    try {
      res.writeHead(200, { 'content-type': 'text/javascript', ...isolated }).end(await readFile(ROOT + 'dist/core.js'));
    } catch {
      res.writeHead(404).end();
    }
    return;
  }
  res.writeHead(404).end();
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => typeof window.bench === 'function', null, { timeout: 10000 });
  const r = await page.evaluate((n) => window.bench(n), CALLS);
  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b), at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))] * 1000;
    return { median: at(0.5), p99: at(0.99), max: s[s.length - 1] * 1000, mean: (s.reduce((a, b) => a + b, 0) / s.length) * 1000 };
  };
  const single = stats(r.single), grouped = stats(r.grouped);
  const fmt = (x) => x.toFixed(1).padStart(6);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ calls: CALLS, single, grouped, crossOriginIsolated: r.isolated, flushed: r.flushed, storage: r.storage }));
  } else {
    console.log(`track() main-thread time over ${CALLS} calls in Chromium ${browser.version()} (storage: ${r.storage}, crossOriginIsolated: ${r.isolated})`);
    console.log(`                          median     p99     max    mean   (µs)`);
    console.log(`  per call               ${fmt(single.median)}  ${fmt(single.p99)}  ${fmt(single.max)}  ${fmt(single.mean)}`);
    console.log(`  per call, groups of 10 ${fmt(grouped.median)}  ${fmt(grouped.p99)}  ${fmt(grouped.max)}  ${fmt(grouped.mean)}`);
    console.log(`  afterwards flush() → ${JSON.stringify(r.flushed)}`);
  }
} finally {
  await browser.close();
  server.close();
}
