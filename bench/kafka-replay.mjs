#!/usr/bin/env node
// Dashboard replay from Kafka: N stored events are put into a fresh topic first, then the dashboard
// (dist/consumer.js, its Kafka source and a fresh consumer group) starts and reads them all; the
// figure is events counted per second from its start to the last event counted (checkpoints and
// offset commits included).
//
//   node bench/kafka-replay.mjs [--brokers 127.0.0.1:9092] [--events 20000]   (npm run build first)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';

const args = new Map();
// `--name value` pairs; a flag without a value (`--json`, which bench/run.mjs passes) is true.
for (let i = 2; i < process.argv.length; i++) {
  const name = process.argv[i].replace(/^--/, '');
  const value = process.argv[i + 1];
  if (value === undefined || value.startsWith('--')) args.set(name, true);
  else { args.set(name, value); i++; }
}
const brokers = args.get('brokers') ?? process.env.BENCH_KAFKA_BROKERS ?? '127.0.0.1:9092';
const total = Number(args.get('events') ?? 20_000);
const run = randomBytes(4).toString('hex');
const topic = `fp-bench-replay-${run}`;
const groupId = `fp-bench-replay-${run}`;

// Not reachable: say so at once (kafkajs would retry for half a minute first).
const [probeHost, probePort] = brokers.split(',')[0].split(':');
const reachable = await new Promise((resolve) => {
  const socket = connect({ host: probeHost, port: Number(probePort) }, () => { socket.destroy(); resolve(true); });
  socket.setTimeout(2000, () => { socket.destroy(); resolve(false); });
  socket.on('error', () => resolve(false));
});
if (!reachable) {
  console.error(`Kafka not reachable on ${brokers} (npm run kafka -- start)`);
  process.exit(3);
}

const { Kafka, Partitioners, logLevel } = await import('kafkajs');
const kafka = new Kafka({ clientId: 'fp-bench-replay', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
await producer.connect();
const now = new Date().toISOString();
for (let sent = 0; sent < total; sent += 1000) {
  const messages = Array.from({ length: Math.min(1000, total - sent) }, (_, i) => {
    const n = sent + i;
    const event = {
      id: `${run}${String(n).padStart(12, '0')}`, type: n % 2 ? 'feedback' : 'click', ts: now, project: 'bench', anonymousId: `anon-${n % 997}`, sessionId: `s-${n % 113}`,
      page: { url: 'https://shop.example/checkout', path: '/checkout' }, receivedAt: now,
      data: n % 2 ? { rating: 1 + (n % 5), scale: 'stars', comment: 'Fast checkout, friendly support' } : { selector: 'button#buy', tag: 'button', text: 'Buy' },
    };
    return { key: `bench:${event.anonymousId}`, value: JSON.stringify(event), headers: { id: event.id, type: event.type, project: 'bench' } };
  });
  await producer.send({ topic, acks: -1, messages });
}
await producer.disconnect();

const dataDir = await mkdtemp(join(tmpdir(), 'fp-bench-replay-'));
const { startFeedpulseServer } = await import(fileURLToPath(new URL('../dist/consumer.js', import.meta.url)));
const started = performance.now();
const server = await startFeedpulseServer({
  port: 0, host: '127.0.0.1', dataDir, broker: `kafka://${brokers}?topic=${topic}`, source: { kafka: { groupId } },
  collector: { log: false, rateLimit: false },
}, {});
while (server.consumer.processed() < total) await new Promise((r) => setTimeout(r, 20));
const seconds = (performance.now() - started) / 1000;
await server.close();
await admin.deleteGroups([groupId]).catch(() => undefined);
await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
await admin.disconnect();
await rm(dataDir, { recursive: true, force: true });
console.log(JSON.stringify({ events: total, seconds: Number(seconds.toFixed(2)), eventsPerSecond: Math.round(total / seconds) }));
