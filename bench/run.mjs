#!/usr/bin/env node
// `npm run bench`: Feedpulse beside Sentry, PostHog, Segment and RudderStack on one machine in one
// run. Prints tables and writes BENCHMARKS.md (see docs/benchmarks.md). `--quick` is the smoke size.
import { join, dirname, resolve } from 'node:path';
import { existsSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { parseArgs, HELP } from './lib/args.mjs';
import { machineInfo, loadNow } from './lib/machine.mjs';
import { startEndpoint } from './lib/endpoint.mjs';
import { launchChromium, hasChromium, CHROMIUM_PATH, visitorUserAgent } from './lib/browser.mjs';
import { ANCHORS } from './lib/sdks.mjs';
import { BENCH_DIR, ANCHOR_DIR, installedVersion, loadEsbuild, bundleAdapters } from './lib/anchors.mjs';
import { runSizes } from './sections/sizes.mjs';
import { runTrackCost, runLoadCost } from './sections/main-thread.mjs';
import { runOffline } from './sections/offline.mjs';
import { runDrain } from './sections/drain.mjs';
import { runMemory } from './sections/memory.mjs';
import { runScript } from './sections/external.mjs';
import * as report from './lib/report.mjs';
import { findLosses } from './lib/losses.mjs';
import { snapshotDist } from './lib/snapshot.mjs';
import { headlines } from './lib/headlines.mjs';
import { ensureBuilt } from '../scripts/ensure-built.mjs';

const REPO = dirname(BENCH_DIR);
const args = parseArgs();
if (args.help) { console.log(HELP); process.exit(0); }

const log = (...m) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...m);
const info = machineInfo(REPO);
const ctx = { repo: REPO, quick: args.quick, sizes: args.sizes, anchors: args.anchors, readyAnchors: new Set(), log };
const tables = [];
const results = {};
const sectionLoad = {};
const wants = (s) => args.only.includes(s);

log(`${info.cpu}, ${info.cores} cores, ${info.ramGiB} GiB; load ${loadNow()}; ${args.quick ? 'QUICK sizes' : 'full sizes'}`);
// Without dist/ every Feedpulse row would fail and the report would find no loss: build first, or stop.
try {
  ensureBuilt(REPO, ['dist/core.js', 'dist/feedpulse.min.js', 'dist/index.js', 'dist/collector.js'], { who: 'bench', log });
} catch (err) {
  console.error(err.message);
  process.exit(1);
}

ctx.distDir = join(ANCHOR_DIR, 'feedpulse-dist');
info.feedpulseFiles = snapshotDist(REPO, ctx.distDir);
ctx.endpoint = await startEndpoint({ roots: { '/dist/': ctx.distDir, '/anchors/': ANCHOR_DIR, '/bench/adapters/': join(BENCH_DIR, 'adapters') } });
const needsBrowser = ['sizes', 'main', 'load', 'offline', 'drain', 'memory'].some(wants);
if (needsBrowser && hasChromium()) {
  ctx.browser = await launchChromium();
  info.chromium = ctx.browser.version();
  ctx.userAgent = await visitorUserAgent(ctx.browser);
} else if (needsBrowser) {
  log(`no Chromium at ${CHROMIUM_PATH}: browser sections skipped`);
}

// Anchors: bundle the page adapters of those installed in bench/node_modules.
const anchorNotes = [];
if (!args.anchors) anchorNotes.push('anchors skipped (--no-anchors)');
else {
  const esbuild = await loadEsbuild();
  if (!esbuild) anchorNotes.push('anchors skipped: bench/node_modules has no esbuild (install with `cd bench && npm ci`)');
  else {
    const installed = ANCHORS.filter((a) => installedVersion(a.pkg));
    for (const a of ANCHORS.filter((x) => !installedVersion(x.pkg))) anchorNotes.push(`${a.label} skipped: ${a.pkg} not installed in bench/node_modules`);
    const files = [...new Set(installed.map((a) => a.adapterFile ?? a.id))];
    try {
      await bundleAdapters(esbuild, files);
      for (const a of installed) ctx.readyAnchors.add(a.id);
    } catch (error) { anchorNotes.push(`anchor adapters failed to bundle: ${String(error.message ?? error).split('\n')[0]}`); }
  }
}
for (const n of anchorNotes) log(n);

async function section(name, fn) {
  if (!wants(name)) return;
  const t0 = performance.now();
  log(`section ${name}: start (load ${loadNow()})`);
  try {
    await fn();
  } catch (error) {
    log(`section ${name} failed: ${error.stack ?? error}`);
    tables.push({ title: `${name}: failed`, columns: ['error'], rows: [[String(error.message ?? error).split('\n')[0]]] });
  }
  sectionLoad[name] = loadNow();
  log(`section ${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s (load ${sectionLoad[name]})`);
}

const browserOnly = (name, fn) => section(name, async () => {
  if (!ctx.browser) { tables.push({ title: name, columns: ['status'], rows: [['not measured']], notes: ['skipped: no Chromium'] }); return; }
  await fn();
});

await section('sizes', async () => { results.sizes = await runSizes(ctx); tables.push(report.sizesTable(results.sizes)); });
await browserOnly('main', async () => {
  results.track = await runTrackCost(ctx);
  // The core engineer's own track() bench (Feedpulse only, warmed up, capture off) as a cross-check.
  // It has no small size of its own (10,000 calls plus warm-up), so --quick leaves it out.
  results.coreTrack = ctx.quick ? { skipped: 'not run at --quick' } : await runScript(ctx, 'core-track.mjs', { timeoutMs: 180_000 });
  tables.push(report.trackTable(results.track, results.coreTrack));
});
await browserOnly('load', async () => {
  results.load = await runLoadCost(ctx);
  tables.push(report.loadTable(results.load, ctx.sizes.loadRuns));
});
await browserOnly('offline', async () => { results.offline = await runOffline(ctx); tables.push(report.offlineTable(results.offline)); });
await browserOnly('drain', async () => { results.drain = await runDrain(ctx); tables.push(report.drainTable(results.drain)); });
// The browser is closed before the collector bench so Chromium does not compete with the load generator.
if (ctx.browser) await ctx.browser.close();
ctx.browser = undefined;
await section('ingest', async () => {
  // collector-ingest.mjs has no --quick of its own: quick runs shorten it and keep to the sinks that
  // need no broker. Full runs use its defaults (10 s per sink after 2 s warm-up, all four targets).
  const quickArgs = ['--duration', '1', '--warmup', '0.5', '--connections', '8', '--sinks', 'bare,embedded'];
  results.ingest = await runScript(ctx, 'collector-ingest.mjs', { extraArgs: ctx.quick ? quickArgs : [] });
  tables.push(report.ingestTable(results.ingest));
});
if (wants('memory') && hasChromium()) ctx.browser = await launchChromium();
await browserOnly('memory', async () => { results.memory = await runMemory(ctx); tables.push(report.memoryTable(results.memory, results.drain)); });
if (ctx.browser) await ctx.browser.close();
await section('dashboard', async () => {
  // dashboard-latency.mjs prints its own markdown; quick runs shorten it and leave out the DOM probe.
  const quickArgs = ['--seconds', '3', '--warmup', '1', '--rate', '100', '--no-dom'];
  results.dashboard = await runScript(ctx, 'dashboard-latency.mjs', { markdown: true, extraArgs: ctx.quick ? quickArgs : [], timeoutMs: ctx.quick ? 90_000 : 300_000 });
  tables.push(report.markdownSection('7. Dashboard latency (bench/dashboard-latency.mjs)', results.dashboard));
});
await section('consumer', async () => {
  // consumer-alerts.mjs prints its own markdown; --quick shrinks it to 2,000 + 1,000 events.
  results.consumerAlerts = await runScript(ctx, 'consumer-alerts.mjs', { markdown: true, extraArgs: ctx.quick ? ['--quick'] : [], timeoutMs: ctx.quick ? 90_000 : 600_000 });
  tables.push(report.markdownSection('8. Consumer alerts (bench/consumer-alerts.mjs)', results.consumerAlerts));
});
await section('replay', async () => {
  // Dashboard replay from Kafka: skipped with the reason when no broker answers (npm run kafka -- start).
  const replay = await runScript(ctx, 'kafka-replay.mjs', { extraArgs: ['--events', ctx.quick ? '2000' : '20000'], timeoutMs: ctx.quick ? 90_000 : 300_000 });
  const d = replay.data;
  results.replay = d && !replay.skipped
    ? { ...replay, markdown: `| events | seconds | events/s |\n|---:|---:|---:|\n| ${d.events} | ${d.seconds} | ${d.eventsPerSecond} |` }
    : replay;
  tables.push(report.markdownSection('9. Dashboard replay from Kafka (bench/kafka-replay.mjs)', results.replay));
});
await section('export', async () => {
  // bench/responses-export.mjs prints its own markdown; --quick exports 20,000 rows instead of 1,000,000.
  results.export = await runScript(ctx, 'responses-export.mjs', { markdown: true, extraArgs: ctx.quick ? ['--quick'] : [], timeoutMs: ctx.quick ? 120_000 : 900_000 });
  tables.push(report.markdownSection('10. Responses export (bench/responses-export.mjs)', results.export));
});
await section('worker', async () => {
  // bench/db-worker.mjs prints its own markdown; --quick shrinks it to 2,000 events per worker, a
  // replay of 4,000 and 3 timed batches per drop-rule case (the 1,000,000 ratings stay).
  results.worker = await runScript(ctx, 'db-worker.mjs', { markdown: true, extraArgs: ctx.quick ? ['--quick'] : [], timeoutMs: ctx.quick ? 120_000 : 1_800_000 });
  tables.push(report.markdownSection('11. The worker on its database (bench/db-worker.mjs)', results.worker));
});
await ctx.endpoint.close();

info.loadEnd = loadNow();
const losses = findLosses(results);
// "Nowhere" is a claim: only when the other SDKs were measured and no section failed or was skipped.
const unmeasured = tables.filter((t) => /: failed$/.test(t.title) || t.rows?.[0]?.[0] === 'not measured').map((t) => t.title.replace(/: failed$/, ''));
const noLoss = !ctx.readyAnchors.size ? 'Not known: no other SDK was measured in this run (see the notes above).'
  : unmeasured.length ? `None in the sections measured; not measured: ${unmeasured.join(', ')}.` : 'Nowhere in this run.';
const heads = headlines(results);
const header = [
  `Machine: ${info.cpu}, ${info.cores} cores, ${info.ramGiB} GiB RAM, ${info.os}`,
  `Date: ${info.date}   load average at start ${info.loadStart.map((l) => l.toFixed(2)).join(' / ')}, at end ${info.loadEnd} (1/5/15 min; the machine is shared)`,
  `Feedpulse files measured: ${Object.entries(info.feedpulseFiles).map(([k, v]) => `dist/${k} (sha256 ${v.sha256}…, built ${v.built})`).join(', ') || 'none'}`,
  `Versions: feedpulse ${info.feedpulse}; Node ${info.node}; Chromium ${info.chromium ?? '–'} (playwright-core ${info.playwright ?? '–'}); ${Object.entries(info.anchors).map(([k, v]) => `${k} ${v}`).join('; ')}`,
  `Sizes: ${args.quick ? 'QUICK (smoke-test sizes, not for quoting)' : 'full'}; per-section load average: ${Object.entries(sectionLoad).map(([k, v]) => `${k} ${v}`).join('; ')}`,
  ...anchorNotes,
];

for (const t of tables) console.log(t.raw !== undefined ? `\n== ${t.title}\n${t.raw}` : report.textTable(t));
console.log(`\n${header.join('\n')}`);
if (heads.length) console.log(`\nHeadlines:\n${heads.map((h) => `  - ${h}`).join('\n')}`);
console.log(`\nWhere Feedpulse loses:\n${(losses.length ? losses : [noLoss]).map((l) => `  - ${l}`).join('\n')}`);

mkdirSync(ANCHOR_DIR, { recursive: true });
const json = JSON.stringify({ info, args, anchorNotes, headlines: heads, losses, results }, null, 2);
writeFileSync(join(ANCHOR_DIR, 'last-run.json'), json);
if (args.json) writeFileSync(resolve(REPO, args.json), json);
if (args.out) {
  const out = resolve(REPO, args.out);
  const commentaryFile = join(BENCH_DIR, 'commentary.md');
  const commentary = !args.quick && existsSync(commentaryFile) ? readFileSync(commentaryFile, 'utf8').trim() : '';
  const md = [
    '# Feedpulse benchmarks', '',
    `Generated by \`npm run bench${args.quick ? ' -- --quick' : ''}\` (bench/run.mjs). Every figure below comes from one run on one machine; compare ratios, not absolute numbers, across machines. Ratio columns read "Feedpulse better by": above 1× Feedpulse is ahead by that factor, below 1× it loses.`, '',
    ...header.map((h) => `- ${h}`), '',
    '## Headlines', '', ...(heads.length ? heads.map((h) => `- ${h}`) : ['- (no side-by-side figures in this run)']), '',
    ...tables.map((t) => (t.raw !== undefined ? `## ${t.title}\n\n${t.raw}\n` : report.markdownTable(t))),
    '## Where Feedpulse loses', '', ...(losses.length ? losses : [noLoss]).map((l) => `- ${l}`), '',
    ...(commentary ? [commentary, ''] : []),
  ].join('\n');
  writeFileSync(out, md);
  log(`wrote ${out}`);
}
