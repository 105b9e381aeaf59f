#!/usr/bin/env node
// The worker on its analysis database (issue 13): what one consumer sustains on PostgreSQL and on
// the embedded database (PGlite), what two workers sustain on one PostgreSQL (two processes, each
// taking its share of one queue's batches), how long a replay of N events (default 1,000,000) into
// an empty database takes, and what the rating-drop rule costs per event with 1,000,000 ratings in
// its window. Events come from the traffic simulator (pages, clicks, feedback; dist/simulate.js),
// generated before the clock starts, and are handed to startConsumer in batches of 500 (the size
// the embedded log and the broker batcher deliver) by an in-process source: the figures are the
// worker's and the database's, no broker in between. Default rules, no webhook.
// PostgreSQL schemas are the run's own (fpbench_worker_…) and dropped afterwards.
//
//   node bench/db-worker.mjs [--events 1000000] [--sustain 50000] [--database postgres://…] [--parts one,two,replay,drop] [--quick]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' }, sustain: { type: 'string', default: '50000' },
    database: { type: 'string' }, quick: { type: 'boolean', default: false },
    // Which measurements to run (default all): one, two, replay, drop.
    parts: { type: 'string', default: 'one,two,replay,drop' },
    // Internal: this process is the second worker of the two-worker run (see twoWorkers).
    child: { type: 'string' },
  },
});
for (const f of ['dist/consumer.js', 'dist/simulate.js']) if (!existsSync(join(root, f))) { console.error(`bench: run \`npm run build\` first (${f} is missing)`); process.exit(1); }
const { startConsumer, openDatabase, DEFAULT_RULES } = await import(join(root, 'dist/consumer.js'));
const { simulateTraffic } = await import(join(root, 'dist/simulate.js'));

const BATCH = 500;
const replayEvents = args.quick ? 4_000 : Number(args.events);
const sustainEvents = args.quick ? 2_000 : Number(args.sustain);
// A fresh process compiles PGlite's WebAssembly and the JS hot paths during its first batches.
const WARMUP_BATCHES = args.quick ? 1 : 10;
const DROP_RATINGS = 1_000_000;
const DROP_BATCHES = args.quick ? 3 : 7;
const postgresUrl = args.database ?? process.env.FEEDPULSE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const log = (m) => console.error(`bench db-worker: ${m}`);
let schemas = 0;
const newSchema = () => `fpbench_worker_${process.pid}_${schemas++}`;

/** No webhook: alerts are filed as `off`, as in `npm start` without FEEDPULSE_WEBHOOK_URL. */
const QUIET_NOTIFIER = {
  enabled: false, owner: 'bench', leaseMs: 30_000, fresh: () => true, send() {},
  poll: async () => {}, idle: async () => {}, close: async () => {},
};

/** A queue-like source (acks, no log position): the bench pushes batches and waits for each commit. */
function pushSource() {
  let deliver = async () => undefined;
  return {
    kind: 'amqp', id: 'bench', description: 'bench batches',
    async start(_position, d) { deliver = d; },
    push: (events) => deliver(events.map((event) => ({ event, ack() {} }))),
    async stop() {}, async close() {},
  };
}

/** Simulated traffic in batches of 500, `total` events in all, from seeds `seed`, `seed + 1`, …, made as they are asked for. */
function* trafficBatches(total, seed) {
  let left = total;
  for (let s = seed; left > 0; s++) {
    const events = simulateTraffic({ visitors: 1500, seed: s }).slice(0, left);
    left -= events.length;
    for (let i = 0; i < events.length; i += BATCH) yield events.slice(i, i + BATCH);
  }
}

async function openChoice(kind, schema) {
  if (kind === 'postgres') return { db: await openDatabase({ url: postgresUrl, schema, dataDir: '' }), cleanup: async (db) => { await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); } };
  const dir = mkdtempSync(join(tmpdir(), 'fp-bench-worker-'));
  return { db: await openDatabase({ dataDir: dir }), cleanup: async () => {}, dir };
}

/** Opens a fresh database of `kind`, runs `work(db)`, drops it; `{ skipped }` when it cannot be opened. */
async function withDatabase(kind, work) {
  const schema = newSchema();
  let opened;
  try { opened = await openChoice(kind, schema); } catch (err) { return { skipped: String(err.message ?? err).split('\n')[0] }; }
  try {
    return await work(opened.db, schema);
  } finally {
    await opened.cleanup(opened.db).catch((err) => log(`could not drop ${schema}: ${err.message}`));
    await opened.db.close();
    if (opened.dir) rmSync(opened.dir, { recursive: true, force: true });
  }
}

/** Pushes the batches through one consumer; seconds spent in its transactions (generation excluded) and events counted. */
async function consume(db, batches, { rules = DEFAULT_RULES, warmup = 0 } = {}) {
  const source = pushSource();
  const consumer = await startConsumer({ source, db, rules, notifier: QUIET_NOTIFIER });
  let busy = 0;
  let events = 0;
  let i = 0;
  try {
    for (const batch of batches) {
      const t0 = performance.now();
      await source.push(batch);
      if (i++ >= warmup) { busy += performance.now() - t0; events += batch.length; }
    }
  } finally {
    await consumer.stop();
  }
  return { seconds: busy / 1000, events };
}

async function oneWorker(kind) {
  return withDatabase(kind, async (db) => {
    const batches = [...trafficBatches(sustainEvents + WARMUP_BATCHES * BATCH, 1)];
    const r = await consume(db, batches, { warmup: WARMUP_BATCHES });
    log(`one worker (${kind}): ${r.events} events in ${r.seconds.toFixed(1)} s`);
    return { ...r, eventsPerSecond: r.events / r.seconds };
  });
}

/** Two processes on one schema, each with its own consumer and its half of the batches, started together. */
async function twoWorkers() {
  return withDatabase('postgres', async (_db, schema) => {
    const share = Math.ceil(sustainEvents / 2);
    const children = [0, 1].map((n) => fork(fileURLToPath(import.meta.url), ['--child', JSON.stringify({ schema, events: share, seed: 1000 + n * 100 }), '--database', postgresUrl], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    const message = (child, type) => new Promise((resolve, reject) => {
      child.on('message', (m) => { if (m.type === type) resolve(m); });
      child.on('exit', (code) => reject(new Error(`worker process exited ${code} before "${type}"`)));
    });
    await Promise.all(children.map((c) => message(c, 'ready')));
    const t0 = performance.now();
    const done = children.map((c) => message(c, 'done'));
    for (const c of children) c.send({ type: 'go' });
    const results = await Promise.all(done);
    const seconds = (performance.now() - t0) / 1000;
    const events = results.reduce((n, r) => n + r.events, 0);
    const warmed = results.reduce((n, r) => n + r.warmed, 0);
    const [{ n: counted }] = await _db.query('SELECT count(*)::int AS n FROM fp_seen');
    if (counted !== events + warmed) throw new Error(`two workers: ${counted} events in fp_seen, ${events + warmed} pushed`);
    log(`two workers (postgres): ${events} events in ${seconds.toFixed(1)} s`);
    return { events, seconds, eventsPerSecond: events / seconds };
  });
}

async function childWorker(spec) {
  const { schema, events, seed } = JSON.parse(spec);
  const db = await openDatabase({ url: postgresUrl, schema, dataDir: '' });
  // Warm-up batches of its own first (not counted), so both start timed work on a warm connection.
  const warm = await consume(db, [...trafficBatches(BATCH, seed + 50)]);
  const batches = [...trafficBatches(events, seed)];
  const go = new Promise((resolve) => process.on('message', (m) => { if (m.type === 'go') resolve(); }));
  process.send({ type: 'ready' });
  await go;
  const r = await consume(db, batches);
  await db.close();
  process.send({ type: 'done', events: r.events, seconds: r.seconds, warmed: warm.events });
  process.disconnect();
}

async function replay(kind) {
  return withDatabase(kind, async (db) => {
    const t0 = performance.now();
    const r = await consume(db, trafficBatches(replayEvents, 5000));
    const [{ n }] = await db.query('SELECT count(*)::int AS n FROM fp_seen');
    if (n !== replayEvents) throw new Error(`replay (${kind}): ${n} events counted, ${replayEvents} pushed`);
    const wall = (performance.now() - t0) / 1000;
    log(`replay (${kind}): ${r.events} events, ${r.seconds.toFixed(1)} s in the worker, ${wall.toFixed(1)} s with generation`);
    return { ...r, eventsPerSecond: r.events / r.seconds };
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Batches of 100 five-star ratings (each its own visitor, no rule alerts on them): without the drop
 * rule, with it and an empty window, and with it and 1,000,000 five-star ratings in the 15 minutes
 * before (one rollup row per minute and score, as the write path makes them). Median of the batches.
 */
async function dropCost(kind) {
  return withDatabase(kind, async (db) => {
    const drop = DEFAULT_RULES.find((r) => r.type === 'drop');
    const base = Math.floor(Date.now() / 60_000) - 30;
    const ratings = (tag, minute) => Array.from({ length: DROP_BATCHES }, (_, b) => Array.from({ length: 100 }, (_, i) => ({
      id: `drop-${tag}-${b}-${i}-${process.pid}`, type: 'feedback', ts: new Date((base + minute) * 60_000 + b * 1000 + i).toISOString(), project: 'shop',
      anonymousId: `v-${tag}-${b}-${i}`, sessionId: `s-${tag}-${b}-${i}`, page: { url: 'https://shop.example/checkout', path: '/checkout' }, data: { rating: 5, scale: 'stars' },
    })));
    const timed = async (batches, rules) => {
      const source = pushSource();
      const consumer = await startConsumer({ source, db, rules, notifier: QUIET_NOTIFIER });
      const ms = [];
      for (const batch of batches) { const t0 = performance.now(); await source.push(batch); ms.push(performance.now() - t0); }
      await consumer.stop();
      return median(ms);
    };
    await timed(ratings('warm', -300), DEFAULT_RULES); // first transactions of a fresh database are slower
    const off = await timed(ratings('off', -200), DEFAULT_RULES.filter((r) => r !== drop));
    const empty = await timed(ratings('empty', -100), DEFAULT_RULES);
    await db.query(
      `INSERT INTO fp_rollups AS r (project, grain, bucket, metric, key, count, sum)
       SELECT '', 'minute', $1::bigint + m, 'rating:stars', '5', c, c * 5
       FROM (SELECT m, ($2::int / 15 + CASE WHEN m < $2::int % 15 THEN 1 ELSE 0 END) AS c FROM generate_series(0, 14) AS m) AS g
       ON CONFLICT (project, grain, bucket, metric, key) DO UPDATE SET count = r.count + excluded.count, sum = r.sum + excluded.sum`,
      [base - 15, DROP_RATINGS],
    );
    const [{ n }] = await db.query("SELECT sum(count)::int AS n FROM fp_rollups WHERE project = '' AND grain = 'minute' AND metric = 'rating:stars' AND key = '5' AND bucket >= $1", [base - 15]);
    if (n !== DROP_RATINGS) throw new Error(`drop window holds ${n} ratings, ${DROP_RATINGS} expected`);
    const full = await timed(ratings('full', -1), DEFAULT_RULES);
    // The figure is the rule's reading of its window: no alert may have been filed on the way.
    const [{ alerts }] = await db.query('SELECT count(*)::int AS alerts FROM fp_alerts');
    if (alerts !== 0) throw new Error(`drop rule (${kind}): ${alerts} alerts filed, none expected`);
    log(`drop rule (${kind}): batch of 100 ${off.toFixed(1)} ms without it, ${empty.toFixed(1)} ms empty window, ${full.toFixed(1)} ms with 1M`);
    return { off, empty, full };
  });
}

if (args.child) {
  await childWorker(args.child);
  process.exit(0);
}

const kinds = [['embedded', 'embedded (PGlite)'], ['postgres', `PostgreSQL (${postgresUrl.replace(/\/\/[^@/]*@/, '//')})`]];
const rate = (r) => (r.skipped ? `not measured: ${r.skipped}` : `${Math.round(r.eventsPerSecond).toLocaleString('en-US')} events/s (${r.events.toLocaleString('en-US')} in ${r.seconds.toFixed(1)} s)`);
const rows = [];
const run = async (fn, ...a) => { try { return await fn(...a); } catch (err) { log(`${fn.name} failed: ${err.stack ?? err}`); return { skipped: String(err.message ?? err).split('\n')[0] }; } };
const loadStart = loadavg().map((l) => l.toFixed(2)).join(' / ');

const parts = new Set(args.parts.split(','));
const NOT_RUN = { skipped: 'not run (--parts)' };
const one = parts.has('one') ? { embedded: await run(oneWorker, 'embedded'), postgres: await run(oneWorker, 'postgres') } : { embedded: NOT_RUN, postgres: NOT_RUN };
rows.push([`One worker, ${sustainEvents.toLocaleString('en-US')} simulated events after ${WARMUP_BATCHES} warm-up batch${WARMUP_BATCHES === 1 ? '' : 'es'}`, rate(one.embedded), rate(one.postgres)]);
rows.push(['Two workers (two processes) on one database, half the batches each', '– (one process per data folder)', rate(parts.has('two') ? await run(twoWorkers) : NOT_RUN)]);
const replays = parts.has('replay') ? { embedded: await run(replay, 'embedded'), postgres: await run(replay, 'postgres') } : { embedded: NOT_RUN, postgres: NOT_RUN };
rows.push([`Replay of ${replayEvents.toLocaleString('en-US')} events into an empty database (time in the worker)`, rate(replays.embedded), rate(replays.postgres)]);
const drops = parts.has('drop') ? { embedded: await run(dropCost, 'embedded'), postgres: await run(dropCost, 'postgres') } : { embedded: NOT_RUN, postgres: NOT_RUN };
const perEvent = (ms) => `${Math.round(ms * 10)} µs`; // a batch of 100: ms × 1000 / 100
const dropCell = (d) => (d.skipped ? `not measured: ${d.skipped}` : `${perEvent(d.off)} → ${perEvent(d.empty)} → ${perEvent(d.full)}`);
rows.push([`Per event in batches of 100 ratings: without the drop rule → with it, empty window → with it, ${DROP_RATINGS.toLocaleString('en-US')} ratings in the window (median of ${DROP_BATCHES})`, dropCell(drops.embedded), dropCell(drops.postgres)]);

console.log(`From bench/db-worker.mjs (${cpus()[0]?.model}, ${cpus().length} cores, load ${loadStart} at start, ${loadavg().map((l) => l.toFixed(2)).join(' / ')} at end; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}).\n`);
console.log(`| what | ${kinds[0][1]} | ${kinds[1][1]} |`);
console.log('|---|---:|---:|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log('\nSimulated shop traffic (pages, clicks, feedback), batches of 500 handed to startConsumer in-process, default rules, no webhook; one transaction per batch. Event generation is outside the timings.');
