#!/usr/bin/env node
// Measures what docs/scale.md states: two collectors (each with its own data folder, as two hosts
// behind a load balancer have) on one broker, the same events sent to both (a retry the balancer
// sends to the other instance). Prints what each answered and what the broker then holds; and what
// a second collector on the embedded log's folder gets. Uses its own exchange/queue/stream names
// and deletes them. Usage: node scripts/scale-check.mjs [amqp://… ] [nats://…] (after npm run build)
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCollector } from '../dist/collector.js';

const amqpUrl = process.argv.find((a) => a.startsWith('amqp')) ?? 'amqp://guest:guest@127.0.0.1:5672';
const natsUrl = process.argv.find((a) => a.startsWith('nats')) ?? 'nats://127.0.0.1:4222';
const N = 1000;
const suffix = randomBytes(4).toString('hex');
const dirs = [];
const folder = () => { const d = mkdtempSync(join(tmpdir(), 'fp-scale-')); dirs.push(d); return d; };
const now = () => new Date().toISOString();
const events = Array.from({ length: N }, (_, i) => ({
  id: `${suffix}${String(i).padStart(13, '0')}`, type: 'feedback', ts: now(), project: 'scale-check',
  anonymousId: 'a', sessionId: 's', page: { url: 'https://shop.example/', path: '/' }, data: { rating: 5, scale: 'stars' },
}));

async function listen(collector) {
  const server = createServer(collector);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  await collector.ready;
  return { url: `http://127.0.0.1:${server.address().port}/v1/events`, close: async () => { server.closeAllConnections(); server.close(); await collector.close(); } };
}

async function post(url) {
  const totals = { accepted: 0, duplicates: 0 };
  for (let i = 0; i < N; i += 100) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ v: 1, sentAt: now(), events: events.slice(i, i + 100) }) });
    const body = await res.json();
    if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(body)}`);
    totals.accepted += body.accepted; totals.duplicates += body.duplicates;
  }
  return totals;
}

async function twoCollectors(label, sink, sinkOptions, count) {
  const a = await listen(createCollector({ sink, dataDir: folder(), log: false, rateLimit: false, sinkOptions }));
  const b = await listen(createCollector({ sink, dataDir: folder(), log: false, rateLimit: false, sinkOptions }));
  try {
    const first = await post(a.url);
    const againSame = await post(a.url);
    const againOther = await post(b.url);
    console.log(`${label}: ${N} events to A: accepted ${first.accepted}; the same again to A: duplicates ${againSame.duplicates}; the same to B: accepted ${againOther.accepted}, duplicates ${againOther.duplicates}; the broker holds ${await count()} messages`);
  } finally { await a.close(); await b.close(); }
}

const amqplib = await import('amqplib');
const conn = await amqplib.connect(amqpUrl);
const ch = await conn.createChannel();
const exchange = `fp-scale-${suffix}`, queue = `fp-scale-${suffix}`;
try {
  await twoCollectors('RabbitMQ', amqpUrl, { amqp: { exchange, queue } }, async () => (await ch.checkQueue(queue)).messageCount);
} finally { await ch.deleteQueue(queue).catch(() => undefined); await ch.deleteExchange(exchange).catch(() => undefined); await conn.close(); }

const nats = await import('nats');
const nc = await nats.connect({ servers: natsUrl.replace(/^nats:\/\//, '') });
const jsm = await nc.jetstreamManager();
const stream = `FPSCALE_${suffix}`;
try {
  await twoCollectors('NATS JetStream', natsUrl, { nats: { stream, subjectPrefix: `fpscale${suffix}` } }, async () => (await jsm.streams.info(stream)).state.messages);
} finally { await jsm.streams.delete(stream).catch(() => undefined); await nc.close(); }

const shared = folder();
const first = await listen(createCollector({ dataDir: shared, log: false }));
try {
  const second = createCollector({ dataDir: shared, log: false });
  const outcome = await second.ready.then(() => 'started', (err) => `refused: ${err.message}`);
  console.log(`Embedded log: a second collector on the same folder: ${outcome}`);
  await second.close().catch(() => undefined);
} finally { await first.close(); }
for (const d of dirs) rmSync(d, { recursive: true, force: true });
