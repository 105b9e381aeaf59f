#!/usr/bin/env node
// Consumer alert throughput and what a flood of made-up projects leaves behind. 20,000 one-star
// ratings, each from its own visitor and a random project name, are written to the embedded log by
// the collector; then the server (consumer, alert store, dashboard view) starts on that log and
// reads it all. Reported: how fast the collector stored them, how fast the consumer counted them
// and raised their alerts (every one of them alerts: the built-in "Lowest rating" rule), and the
// size of the dashboard view and of the embedded database (db/), before and after a restart. A
// second run sends 10,000 one-star ratings from one visitor (folded into one alert).
// In-process, embedded log, no webhook, from dist/ (npm run build).
//
//   node bench/consumer-alerts.mjs [--events 20000] [--visitor-events 10000] [--json]
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' }, 'visitor-events': { type: 'string', default: '10000' },
    json: { type: 'boolean', default: false }, quick: { type: 'boolean', default: false },
  },
});
const events = args.quick ? 2000 : Number(args.events);
const visitorEvents = args.quick ? 1000 : Number(args['visitor-events']);
for (const f of ['dist/consumer.js', 'dist/collector.js']) if (!existsSync(join(root, f))) { console.error(`bench: run \`npm run build\` first (${f} is missing)`); process.exit(1); }
const { startFeedpulseServer } = await import(join(root, 'dist/consumer.js'));
const { createCollector } = await import(join(root, 'dist/collector.js'));
const { nanoid } = await import('nanoid');

const BATCH = 500;
/** Bytes of every file under `dir`. */
const dirSize = (dir) => (existsSync(dir)
  ? readdirSync(dir, { recursive: true }).reduce((n, f) => { const st = statSync(join(dir, String(f))); return n + (st.isFile() ? st.size : 0); }, 0)
  : 0);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

function oneStar(project, anonymousId, at) {
  return {
    id: nanoid(), type: 'feedback', ts: new Date(at).toISOString(), project, anonymousId, sessionId: anonymousId,
    page: { url: 'https://shop.example/checkout', path: '/checkout' }, data: { rating: 1, scale: 'stars' },
  };
}

/** Writes the events to the embedded log with the collector alone (as `npm start` would store them). */
async function store(dataDir, list) {
  const collector = createCollector({ dataDir, log: false, rateLimit: false });
  await collector.ready;
  const http = createServer(collector);
  await new Promise((r) => http.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${http.address().port}/v1/events`;
  const t0 = performance.now();
  for (let i = 0; i < list.length; i += BATCH) {
    const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ v: 1, sentAt: new Date().toISOString(), events: list.slice(i, i + BATCH) }) });
    const answer = await res.json();
    if (answer.accepted !== Math.min(BATCH, list.length - i)) throw new Error(`collector accepted ${answer.accepted} of a batch: ${JSON.stringify(answer.rejected?.slice(0, 2))}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  await collector.close();
  await new Promise((r) => http.close(r));
  return seconds;
}

const waitFor = async (check, timeoutMs, what) => {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

async function scenario(name, list) {
  const dataDir = mkdtempSync(join(tmpdir(), 'fp-bench-alerts-'));
  try {
    const collectorSeconds = await store(dataDir, list);
    const dbDir = join(dataDir, 'db');
    const start = () => startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir, collector: { log: false, rateLimit: false } }, {});
    const t0 = performance.now();
    const server = await start();
    await waitFor(() => server.consumer.processed() >= list.length, 600_000, `${list.length} events counted`);
    const consumerSeconds = (performance.now() - t0) / 1000;
    const alerts = server.alerts.count();
    const view = JSON.stringify(server.view()).length;
    const newest = server.alerts.list(1)[0];
    const more = newest ? server.view().alerts[0].more : 0;
    await server.close();
    const afterRun = { view, database: dirSize(dbDir) };
    const again = await start();
    const restored = { view: JSON.stringify(again.view()).length, database: dirSize(dbDir), projects: again.view().projects.length };
    await again.close();
    return {
      name, events: list.length, alerts, more, collectorSeconds, consumerSeconds,
      eventsPerSecond: list.length / consumerSeconds, alertsPerSecond: alerts / consumerSeconds, afterRun, restored,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const now = Date.now();
const random = Array.from({ length: events }, (_, i) => oneStar(`p${nanoid(10).replace(/[^A-Za-z0-9]/g, 'x')}`, nanoid(), now - (events - i)));
const visitor = nanoid();
const oneVisitor = Array.from({ length: visitorEvents }, (_, i) => oneStar('shop', visitor, now - (visitorEvents - i)));
const results = [await scenario(`${events} one-star ratings, random projects`, random), await scenario(`${visitorEvents} one-star ratings, one visitor`, oneVisitor)];
const machine = { cpu: cpus()[0]?.model, cores: cpus().length, load: loadavg().map((l) => l.toFixed(2)).join(' / '), node: process.version };

if (args.json) {
  console.log(JSON.stringify({ bench: 'consumer-alerts', machine, results }));
} else {
  console.log(`From bench/consumer-alerts.mjs (embedded log, in-process, no webhook; ${machine.cpu}, ${machine.cores} cores, load ${machine.load}, Node ${machine.node}).\n`);
  console.log('| scenario | collector stored in | consumer counted in | events/s | alerts | alerts/s | fold count | view.json | database (db/) | view.json after restart | projects listed |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.name} | ${r.collectorSeconds.toFixed(2)} s | ${r.consumerSeconds.toFixed(2)} s | ${Math.round(r.eventsPerSecond)} | ${r.alerts} | ${r.alerts >= 100 ? Math.round(r.alertsPerSecond) : '–'} | ${r.more} | ${kb(r.afterRun.view)} | ${kb(r.afterRun.database)} | ${kb(r.restored.view)} | ${r.restored.projects} |`);
  }
}
