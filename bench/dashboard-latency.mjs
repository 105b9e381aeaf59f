#!/usr/bin/env node
// Dashboard end-to-end latency: a feedback event POSTed to the collector → visible in the
// dashboard's SSE stream → visible in the dashboard DOM (real Chromium), under a background load of
// simulated traffic (default 500 events/s). The server runs in its own process (dist/consumer.js),
// exactly as `npm start` runs it. Also reports whether the consumer keeps up with ingest.
//
// The dashboard reads its figures from the analysis database: the embedded one by default, or
// PostgreSQL with --database (a schema of its own, dropped afterwards). Also reports how long one
// view takes to build (GET /dashboard/view.json) once the load is counted.
//
//   node bench/dashboard-latency.mjs [--rate 500] [--seconds 20] [--probes 5] [--broker amqp://…|nats://…] [--database postgres://…] [--no-dom]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '500' }, seconds: { type: 'string', default: '20' }, probes: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '3' }, broker: { type: 'string' }, database: { type: 'string' }, 'no-dom': { type: 'boolean', default: false },
  },
});
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const probesPerSecond = Number(args.probes);
const warmupMs = Number(args.warmup) * 1000;
if (!existsSync(join(root, 'dist/consumer.js'))) { console.error('bench: run `npm run build` first (dist/consumer.js is missing)'); process.exit(1); }
const { simulateTraffic, sendEvents } = await import(join(root, 'dist/simulate.js'));
const { nanoid } = await import('nanoid');

// 1. The server, in a child process with a fresh data dir. With a broker, the run uses its own
// project, queue / durable consumer and filter (removed afterwards), so it neither counts other
// traffic on a shared broker nor leaves a queue behind that keeps collecting messages.
const dataDir = mkdtempSync(join(tmpdir(), 'fp-bench-dash-'));
const runId = `bench${nanoid(6).replace(/[^A-Za-z0-9]/g, 'x')}`;
const project = args.broker ? runId : 'shop-web';
const dbSchema = `fpbench_${runId.toLowerCase().replace(/[^a-z0-9]/g, '_')}`;
const databaseName = args.database ? `PostgreSQL (${args.database.replace(/\/\/[^@/]*@/, '//')}, schema ${dbSchema})` : 'embedded database (PGlite)';
const sourceOptions = { amqp: { queue: `feedpulse.${runId}`, bindingKey: `${runId}.#` }, nats: { durable: runId, filterSubject: `feedpulse.${runId}.>` } };
function startServer() {
  const proc = spawn(process.execPath, ['--input-type=module', '-e', `
    const { startFeedpulseServer } = await import(${JSON.stringify(join(root, 'dist/consumer.js'))});
    const s = await startFeedpulseServer({ port: 0, host: '127.0.0.1', source: ${JSON.stringify(sourceOptions)} });
    process.send({ url: s.url });
    process.on('SIGTERM', () => s.close().then(() => process.exit(0)));
  `], {
    cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, FEEDPULSE_DATA: dataDir, FEEDPULSE_LOG: 'off', FEEDPULSE_RATE_LIMIT: 'off', FEEDPULSE_BROKER: args.broker ?? '', FEEDPULSE_WEBHOOK_URL: '',
      FEEDPULSE_DATABASE_URL: args.database ?? '', FEEDPULSE_DATABASE_SCHEMA: args.database ? dbSchema : '' },
  });
  const ready = new Promise((resolve, reject) => { proc.once('message', (m) => resolve(m.url)); proc.once('exit', (c) => reject(new Error(`server exited ${c}`))); });
  return { proc, ready };
}
const stopServer = (proc) => { proc.kill('SIGTERM'); return new Promise((r) => proc.once('exit', r)); };
const first = startServer();
const child = first.proc;
const url = await first.ready;
const endpoint = `${url}/v1/events`;
const sent = new Map(); // probe id → ms when its POST started
const answered = new Map(); // probe id → ms when the collector answered it
const posts = []; // collector answer time per measured probe
const sseAfterAnswer = [];
const sse = [];
const dom = [];
let measuring = false;

// 2. An SSE reader, like the dashboard's EventSource.
const stream = await fetch(`${url}/dashboard/stream`);
const seenInSse = new Set();
let lastProcessed = 0;
(async () => {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of stream.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!frame.startsWith('event: view')) continue;
      const now = Date.now();
      const view = JSON.parse(frame.slice(frame.indexOf('data: ') + 6));
      lastProcessed = view.processed;
      for (const c of view.comments) {
        const at = sent.get(c.id);
        if (at !== undefined && !seenInSse.has(c.id)) {
          seenInSse.add(c.id);
          if (measuring) {
            sse.push(now - at);
            // Seen before the answer arrived (the consumer can beat the HTTP response): count 0.
            sseAfterAnswer.push(Math.max(0, now - (answered.get(c.id) ?? now)));
          }
        }
      }
    }
  }
})().catch(() => undefined);

// 3. The dashboard in Chromium: a MutationObserver reports each new comment row with its time.
let browser;
if (!args['no-dom']) {
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) console.error(`bench: no Chromium at ${chromiumPath}, DOM latency skipped`);
  else {
    const { chromium } = await import('playwright-core');
    const launch = () => chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    browser = await launch();
    const page = await browser.newPage();
    await page.exposeFunction('probeSeen', (id, at) => {
      const start = sent.get(id);
      if (start !== undefined && measuring) dom.push(at - start);
    });
    await page.goto(`${url}/dashboard`);
    await page.locator('#conn-text', { hasText: 'live' }).waitFor();
    await page.evaluate(() => {
      const seen = new Set();
      new MutationObserver(() => {
        const at = Date.now();
        for (const li of document.querySelectorAll('#comments li[data-id]')) {
          const id = li.dataset.id;
          if (!seen.has(id)) { seen.add(id); window.probeSeen(id, at); }
        }
      }).observe(document.getElementById('comments'), { childList: true });
    });
  }
}

// 4. Background load (simulated shop traffic, all in the live hour) and the probes.
const totalMs = warmupMs + seconds * 1000;
const load = simulateTraffic({ visitors: Math.ceil((rate * totalMs) / 1000 / 6.5) + 50, liveShare: 1, incidentMinutesAgo: 0, seed: 42, project });
const loadEvents = load.slice(0, Math.ceil((rate * totalMs) / 1000));
console.error(`bench: ${url} · load ${rate} events/s for ${(totalMs / 1000).toFixed(0)} s (${loadEvents.length} events, ${args.broker ?? 'embedded log'}, ${databaseName}) · ${probesPerSecond} probes/s`);
const started = Date.now();
const loadDone = sendEvents(loadEvents, { endpoint, rate, batchSize: 25, concurrency: 8 });
let probesSent = 0;
const probeTimer = setInterval(() => {
  if (Date.now() - started > totalMs) return;
  if (!measuring && Date.now() - started >= warmupMs) measuring = true;
  const id = nanoid();
  const event = {
    id, type: 'feedback', ts: new Date().toISOString(), project, anonymousId: nanoid(), sessionId: nanoid(),
    page: { url: 'https://bench.example/probe', path: '/probe' }, data: { rating: 4, scale: 'stars', comment: `probe ${id}` },
  };
  const start = Date.now();
  const counted = measuring;
  sent.set(id, start);
  probesSent++;
  fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ v: 1, sentAt: new Date().toISOString(), events: [event] }) })
    .then((r) => r.arrayBuffer())
    .then(() => { answered.set(id, Date.now()); if (counted) posts.push(Date.now() - start); })
    .catch(() => undefined);
}, 1000 / probesPerSecond);
const loadResult = await loadDone;
clearInterval(probeTimer);
const ingestSeconds = loadResult.ms / 1000;
// Does the consumer keep up? Time from the last accepted load event until the stream shows all of them.
const expected = loadResult.accepted + probesSent;
const drainStart = Date.now();
while (lastProcessed < expected && Date.now() - drainStart < 30_000) await new Promise((r) => setTimeout(r, 20));
const drainMs = Date.now() - drainStart;
await new Promise((r) => setTimeout(r, 500));
// One view read from the database, as the live pushes and view.json build it (HTTP included).
const viewMs = [];
for (let i = 0; i < 40; i++) {
  const t0 = performance.now();
  await (await fetch(`${url}/dashboard/view.json`)).arrayBuffer();
  viewMs.push(Math.round((performance.now() - t0) * 10) / 10);
}

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN; };
const row = (name, xs) => `| ${name} | ${xs.length} | ${pct(xs, 50)} | ${pct(xs, 95)} | ${pct(xs, 99)} | ${xs.length ? Math.max(...xs) : NaN} |`;
console.log(`\n### Dashboard end-to-end latency (submit → visible)\n`);
console.log(`Load: ${loadResult.accepted} simulated events accepted in ${ingestSeconds.toFixed(1)} s (${(loadResult.accepted / ingestSeconds).toFixed(0)} events/s achieved, target ${rate}), sink ${args.broker ? args.broker.replace(/\/\/[^@/]*@/, '//') : 'embedded log'}, ${databaseName}; ${probesSent} probe feedback events, ${(warmupMs / 1000)} s warm-up excluded. Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg()[0].toFixed(2)}.\n`);
console.log('| measured at | probes | p50 ms | p95 ms | p99 ms | max ms |');
console.log('|---|---:|---:|---:|---:|---:|');
console.log(row('SSE `view` message', sse));
if (browser) console.log(row('dashboard DOM (Chromium)', dom));
console.log(row('of which: collector answered the POST', posts));
console.log(row('SSE after the collector answered', sseAfterAnswer));
console.log(`\nView build (GET /dashboard/view.json after the run, ${lastProcessed} events in the database): p50 ${pct(viewMs, 50)} ms, p95 ${pct(viewMs, 95)} ms.`);
console.log(`\nConsumer kept up: ${lastProcessed >= expected ? 'yes' : 'NO'} — ${lastProcessed} of ${expected} events on the dashboard ${drainMs} ms after the last load batch was answered.`);

await browser?.close();
await stopServer(child);

// 5. Consumer throughput on its own (embedded log only): forget the checkpoint and time a full
// replay of everything the run wrote, as after a first start on an existing log.
if (!args.broker) {
  rmSync(join(dataDir, 'consumer'), { recursive: true, force: true });
  // The figures too: the database remembers every event id, so a replay into it would count nothing.
  rmSync(join(dataDir, 'db'), { recursive: true, force: true });
  await dropSchema();
  const t0 = Date.now();
  const replay = startServer();
  const replayUrl = await replay.ready;
  let processed = 0;
  while (processed < expected && Date.now() - t0 < 120_000) {
    processed = (await (await fetch(`${replayUrl}/dashboard/view.json`)).json()).processed;
    if (processed < expected) await new Promise((r) => setTimeout(r, 25));
  }
  const ms = Date.now() - t0;
  console.log(`Consumer replay of the whole log from offset 0 (new process, no checkpoint): ${processed} events in ${ms} ms = ${Math.round(processed / (ms / 1000))} events/s, start-up included.`);
  await stopServer(replay.proc);
}
rmSync(dataDir, { recursive: true, force: true });
await removeBrokerState().catch((err) => console.error(`bench: could not remove the run's broker state: ${err.message}`));
await dropSchema().catch((err) => console.error(`bench: could not drop the run's schema: ${err.message}`));
process.exit(0);

async function dropSchema() {
  if (!args.database) return;
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: args.database });
  await client.connect();
  try { await client.query(`DROP SCHEMA IF EXISTS ${dbSchema} CASCADE`); } finally { await client.end(); }
}

async function removeBrokerState() {
  if (args.broker?.startsWith('amqp')) {
    const { connect } = await import('amqplib');
    const conn = await connect(args.broker);
    await (await conn.createChannel()).deleteQueue(sourceOptions.amqp.queue);
    await conn.close();
  } else if (args.broker?.startsWith('nats')) {
    const { connect } = await import('nats');
    const nc = await connect({ servers: args.broker.replace(/^nats:\/\//, '') });
    const jsm = await nc.jetstreamManager();
    await jsm.consumers.delete('FEEDPULSE', runId).catch(() => undefined);
    await jsm.streams.purge('FEEDPULSE', { filter: `feedpulse.${runId}.>` });
    await nc.drain();
  }
}
