#!/usr/bin/env node
// Collector ingest benchmark on loopback: batches of N events (default 20) posted by a keep-alive
// load generator with C concurrent connections, against
//   bare      a node:http server that only parses the JSON (the ceiling),
//   embedded  the collector with the embedded log (fsync'd group commit),
//   amqp      the collector publishing to RabbitMQ (publisher confirms),
//   nats      the collector publishing to NATS JetStream (publish acks),
//   kafka     the collector publishing to Apache Kafka (idempotent producer, acks=all),
// each server in its own process. Reports events/s, p50/p99 per batch and the ratio to bare.
// For context, `amqp-raw` / `nats-raw` / `kafka-raw` measure the broker alone: a plain client
// publishing event-sized persistent messages with many in flight (no HTTP, no collector); Kafka's
// sends batches of --batch messages, as the sink does per request.
//
//   node bench/collector-ingest.mjs [--duration 10] [--warmup 2] [--connections 64] [--batch 20]
//        [--sinks bare,embedded,amqp,amqp-raw,nats,nats-raw,kafka,kafka-raw] [--repeat 1] [--json]
// --repeat N runs the targets N times round-robin and reports each target's median run (with all
// runs' rates), which keeps a busy shared machine's swings from deciding the figures.
//
// Also importable: `import { runCollectorBench } from './collector-ingest.mjs'`.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect as tcpConnect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { buildCollector } from './collector-build.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const AMQP_URL = process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const NATS_URL = process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';
const KAFKA_BROKERS = process.env.BENCH_KAFKA_BROKERS ?? '127.0.0.1:9092';

function parseArgs(argv) {
  const args = { duration: 10, warmup: 2, connections: 64, batch: 20, repeat: 1, sinks: ['bare', 'embedded', 'amqp', 'amqp-raw', 'nats', 'nats-raw', 'kafka', 'kafka-raw'], json: false };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (key === 'json') args.json = true;
    else if (key === 'sinks') args.sinks = argv[++i].split(',');
    else if (key in args) args[key] = Number(argv[++i]);
  }
  return args;
}

const probe = (host, port) => new Promise((resolve) => {
  const s = tcpConnect(port, host);
  s.setTimeout(1000, () => { s.destroy(); resolve(false); });
  s.once('connect', () => { s.destroy(); resolve(true); });
  s.once('error', () => resolve(false));
});

function startServer(script, env, extra) {
  const child = spawn(process.execPath, [join(here, script), ...(extra ? [JSON.stringify(extra)] : [])], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{"port"'));
      if (line) resolve({ child, port: JSON.parse(line).port });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (${code})`)));
  });
}

const stopServer = (child) => new Promise((resolve) => {
  if (child.exitCode !== null) return resolve();
  child.once('exit', resolve);
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
});

/** A batch body factory: unique ids per event, everything else from a template. */
function bodyFactory(project, batch) {
  const prefix = randomBytes(6).toString('base64url').slice(0, 8);
  let counter = 0;
  const now = () => new Date().toISOString();
  return () => {
    const ts = now();
    const events = [];
    for (let i = 0; i < batch; i++) {
      const id = `${prefix}${String(counter++).padStart(13, '0')}`;
      events.push(i % 2 === 0
        ? `{"id":"${id}","type":"feedback","ts":"${ts}","project":"${project}","anonymousId":"anon-${counter % 997}","sessionId":"s-${counter % 113}","page":{"url":"https://shop.example/checkout","path":"/checkout","title":"Checkout"},"data":{"rating":${1 + (counter % 5)},"scale":"stars","comment":"Fast checkout, friendly support"}}`
        : `{"id":"${id}","type":"click","ts":"${ts}","project":"${project}","anonymousId":"anon-${counter % 997}","sessionId":"s-${counter % 113}","page":{"url":"https://shop.example/","path":"/"},"data":{"selector":"button#buy","tag":"button","text":"Buy now"}}`);
    }
    return `{"v":1,"sentAt":"${ts}","events":[${events.join(',')}]}`;
  };
}

function post(agent, port, body) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1/events', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        let accepted = 0;
        try { accepted = JSON.parse(Buffer.concat(chunks).toString()).accepted ?? 0; } catch { /* not JSON */ }
        resolve({ status: res.statusCode, accepted });
      });
    });
    req.on('error', () => resolve({ status: 0, accepted: 0 }));
    req.end(body);
  });
}

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0);

async function load(port, { duration, warmup, connections, batch }, project) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const makeBody = bodyFactory(project, batch);
  const latencies = [];
  const statuses = {};
  let events = 0;
  let measuring = false;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      const body = makeBody();
      const started = performance.now();
      const { status, accepted } = await post(agent, port, body);
      if (!measuring) continue;
      const ms = performance.now() - started;
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === 200) {
        latencies.push(ms);
        events += accepted;
      }
    }
  };
  const workers = Array.from({ length: connections }, worker);
  await new Promise((r) => setTimeout(r, warmup * 1000));
  measuring = true;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, duration * 1000));
  measuring = false;
  const seconds = (performance.now() - started) / 1000;
  stop = true;
  await Promise.all(workers);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    eventsPerSecond: Math.round(events / seconds),
    batchesPerSecond: Math.round(latencies.length / seconds),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    statuses,
  };
}

/** The broker alone, from a plain client in its own process (messages/s = events/s). */
function rawBroker(kind, { duration, connections, batch }) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, 'collector-broker-raw.mjs'), kind, String(duration), String(connections * batch)], {
      env: { ...process.env, BENCH_KAFKA_BATCH: String(batch), BENCH_KAFKA_BROKERS: KAFKA_BROKERS },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`collector-broker-raw ${kind} exited ${code}`));
      const { messagesPerSecond } = JSON.parse(out.trim().split('\n').pop());
      resolve({ eventsPerSecond: messagesPerSecond, batchesPerSecond: null, p50Ms: null, p99Ms: null, statuses: {}, inFlight: connections * batch });
    });
  });
}

async function prepareAmqp(project) {
  const { connect } = await import('amqplib');
  const model = await connect(AMQP_URL);
  const ch = await model.createChannel();
  await ch.assertExchange('feedpulse', 'topic', { durable: true });
  // A queue so events are routable (the collector refuses unroutable events with 503); bounded.
  const { queue } = await ch.assertQueue('', { exclusive: true, arguments: { 'x-max-length': 20000 } });
  await ch.bindQueue(queue, 'feedpulse', `${project}.*`);
  return async () => { await ch.deleteQueue(queue).catch(() => undefined); await model.close(); };
}

async function cleanupNats(project) {
  const { connect } = await import('nats');
  const nc = await connect({ servers: NATS_URL.replace(/^nats:\/\//, '') });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.purge('FEEDPULSE', { filter: `feedpulse.${project}.>` }).catch(() => undefined);
  await nc.close();
}

async function deleteKafkaTopic(topic) {
  const { Kafka, logLevel } = await import('kafkajs');
  const admin = new Kafka({ clientId: 'fp-bench', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
}

/** One measured run of one target (undefined when skipped; the reason goes into `skipped`). */
async function runTarget(sink, args, skipped) {
  if (sink.startsWith('amqp') && !(await probe('127.0.0.1', 5672))) { skipped[sink] = 'RabbitMQ not reachable on 127.0.0.1:5672'; return undefined; }
  if (sink.startsWith('nats') && !(await probe('127.0.0.1', 4222))) { skipped[sink] = 'NATS not reachable on 127.0.0.1:4222'; return undefined; }
  if (sink.startsWith('kafka')) {
    const [host, port] = KAFKA_BROKERS.split(',')[0].split(':');
    if (!(await probe(host, Number(port)))) { skipped[sink] = `Kafka not reachable on ${host}:${port} (npm run kafka -- start)`; return undefined; }
  }
  if (sink.endsWith('-raw')) return rawBroker(sink.replace('-raw', ''), args);
  const project = `bench-${sink}-${randomBytes(3).toString('hex')}`;
  const dataDir = await mkdtemp(join(tmpdir(), `fp-bench-${sink}-`));
  let cleanup = async () => undefined;
  let server;
  try {
    if (sink === 'bare') {
      server = await startServer('collector-bare.mjs', {});
    } else {
      if (sink === 'amqp') cleanup = await prepareAmqp(project);
      const broker = sink === 'amqp' ? AMQP_URL : sink === 'nats' ? NATS_URL : sink === 'kafka' ? `kafka://${KAFKA_BROKERS}?topic=${project}` : '';
      server = await startServer('collector-serve.mjs', { FEEDPULSE_DATA: dataDir, FEEDPULSE_BROKER: broker, FEEDPULSE_LOG: 'off' }, { rateLimit: false });
    }
    return await load(server.port, args, project);
  } finally {
    if (server) await stopServer(server.child);
    await cleanup();
    if (sink === 'nats') await cleanupNats(project).catch(() => undefined);
    if (sink === 'kafka') await deleteKafkaTopic(project).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function runCollectorBench(options = {}) {
  const args = { ...parseArgs([]), ...options };
  await buildCollector();
  const runs = {};
  const skipped = {};
  for (let round = 0; round < Math.max(1, args.repeat); round++) {
    for (const sink of args.sinks) {
      if (skipped[sink]) continue;
      const result = await runTarget(sink, args, skipped);
      if (result) (runs[sink] ??= []).push(result);
    }
  }
  const results = {};
  for (const [sink, list] of Object.entries(runs)) {
    const sorted = [...list].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond);
    results[sink] = { ...sorted[Math.floor((sorted.length - 1) / 2)], ...(list.length > 1 ? { runs: list.map((r) => r.eventsPerSecond) } : {}) };
  }
  const ceiling = results.bare?.eventsPerSecond;
  for (const r of Object.values(results)) r.ratioToBare = ceiling ? Number((r.eventsPerSecond / ceiling).toFixed(3)) : null;
  return {
    bench: 'collector-ingest',
    date: new Date().toISOString(),
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    settings: { durationSeconds: args.duration, warmupSeconds: args.warmup, connections: args.connections, eventsPerBatch: args.batch, repeat: args.repeat },
    loadAverage: (await import('node:os')).loadavg().map((l) => Number(l.toFixed(2))),
    results,
    skipped,
  };
}

function table(report) {
  const rows = [['target', 'events/s', 'batches/s', 'p50 ms', 'p99 ms', 'vs bare', 'answers']];
  for (const [name, r] of Object.entries(report.results)) {
    rows.push([name, r.eventsPerSecond.toLocaleString('en'), String(r.batchesPerSecond ?? '-'), r.p50Ms?.toFixed(2) ?? '-', r.p99Ms?.toFixed(2) ?? '-',
      r.ratioToBare === null ? '-' : `${(r.ratioToBare * 100).toFixed(0)}%`, (r.inFlight ? `broker alone, ${r.inFlight} in flight` : Object.entries(r.statuses).map(([s, n]) => `${s}×${n}`).join(' ')) + (r.runs ? `  runs: ${r.runs.join(', ')}` : '')]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => r.map((c, i) => (i === 0 || i === 6 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const s = report.settings;
  const repeat = s.repeat > 1 ? `, median of ${s.repeat} runs` : '';
  return `collector ingest, ${s.eventsPerBatch} events/batch, ${s.connections} connections, ${s.durationSeconds}s${repeat} (node ${report.node}, ${report.cpus} cpus, load average ${report.loadAverage.join(' ')})\n${lines.join('\n')}\n${Object.entries(report.skipped).map(([k, v]) => `skipped ${k}: ${v}`).join('\n')}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const report = await runCollectorBench(args);
  if (args.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else console.log(table(report));
}
