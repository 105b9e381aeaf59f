#!/usr/bin/env node
// Kafka client choice: kafkajs vs @platformatic/kafka, each publishing the same stored events the
// way the collector's sink does — an idempotent producer with acks=all, one send() per HTTP batch,
// several batches in flight — against a real broker. Each client runs in its own child process so
// its RSS is its own.
//
//   node bench/kafka-clients.mjs [--brokers 127.0.0.1:9092] [--events 20000] [--batch 50] [--concurrency 8]
//
// Prints one JSON line per client and a Markdown table. The topic (fp-bench-<random>) is deleted after.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

const args = new Map();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const brokers = (args.get('brokers') ?? process.env.FEEDPULSE_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const total = Number(args.get('events') ?? 20_000);
const batchSize = Number(args.get('batch') ?? 50);
const concurrency = Number(args.get('concurrency') ?? 8);
const client = args.get('client');
/** kafkajs only: also merge waiting batches into one send (as @platformatic/kafka must). */
const merge = args.get('merge') === '1';

/** A stored event as the collector writes it (about 400 bytes of JSON). */
function storedEvent(i) {
  return {
    id: `evt_${i.toString(36).padStart(8, '0')}${randomBytes(6).toString('hex')}`,
    type: i % 3 === 0 ? 'rating' : i % 3 === 1 ? 'comment' : 'click',
    project: `shop${i % 4}`,
    anonymousId: `anon_${i % 500}`,
    sessionId: `sess_${i % 1000}`,
    ts: new Date().toISOString(),
    page: { url: 'https://shop.example/checkout?step=2', title: 'Checkout', referrer: 'https://shop.example/cart' },
    props: { value: (i % 5) + 1, text: 'The checkout was quick but the coupon field is hard to find.' },
    receivedAt: new Date().toISOString(),
    ua: 'Chrome',
  };
}

const message = (event, topic) => ({
  topic,
  key: `${event.project}:${event.anonymousId}`,
  value: JSON.stringify(event),
  headers: { id: event.id, type: event.type, project: event.project },
});

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function produceAll(send, topic) {
  const events = Array.from({ length: total }, (_, i) => storedEvent(i));
  const batches = [];
  for (let i = 0; i < events.length; i += batchSize) batches.push(events.slice(i, i + batchSize).map((e) => message(e, topic)));
  // Warm-up: metadata, producer id, connections.
  await send(batches[0].slice(0, 1));
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < batches.length) {
      const batch = batches[next++];
      const t = performance.now();
      await send(batch);
      latencies.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    eventsPerSecond: Math.round(total / seconds),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
}

async function runKafkajs(topic) {
  const { Kafka, logLevel } = await import('kafkajs');
  const kafka = new Kafka({ clientId: 'fp-bench', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const send = (messages) => producer.send({ topic, acks: -1, messages: messages.map(({ topic: _t, ...m }) => m) });
    return await produceAll(merge ? serialized(send) : send, topic);
  } finally {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

async function runPlatformatic(topic) {
  const { Producer, Admin, stringSerializers } = await import('@platformatic/kafka');
  const admin = new Admin({ clientId: 'fp-bench-admin', bootstrapBrokers: brokers });
  await admin.createTopics({ topics: [topic], partitions: 3, replicas: 1 });
  const producer = new Producer({ clientId: 'fp-bench', bootstrapBrokers: brokers, serializers: stringSerializers, idempotent: true, acks: -1, autocreateTopics: false });
  try {
    // Concurrent idempotent sends fail here with OUT_OF_ORDER_SEQUENCE_NUMBER (seen with 1.35.0),
    // so batches that arrive while a send is in flight wait and go out together in the next one.
    return await produceAll(serialized((messages) => producer.send({ messages })), topic);
  } finally {
    await producer.close();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.close();
  }
}

/** One send at a time; callers that arrive meanwhile are merged into the next send. */
function serialized(send) {
  let queue = [];
  let running = false;
  const pump = async () => {
    running = true;
    while (queue.length) {
      const group = queue;
      queue = [];
      try {
        await send(group.flatMap((g) => g.messages));
        for (const g of group) g.resolve();
      } catch (err) {
        for (const g of group) g.reject(err);
      }
    }
    running = false;
  };
  return (messages) => new Promise((resolve, reject) => {
    queue.push({ messages, resolve, reject });
    if (!running) void pump();
  });
}

if (client) {
  const topic = `fp-bench-${randomBytes(4).toString('hex')}`;
  const result = client === 'kafkajs' ? await runKafkajs(topic) : await runPlatformatic(topic);
  console.log(JSON.stringify({ client: client === 'kafkajs' && merge ? 'kafkajs (merged sends)' : client, events: total, batch: batchSize, concurrency, ...result }));
} else {
  const rows = [];
  for (const [name, extra] of [['kafkajs', []], ['kafkajs', ['--merge', '1']], ['@platformatic/kafka', []]]) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...process.argv.slice(2), '--client', name, ...extra], { encoding: 'utf8' });
    if (child.status !== 0) {
      console.error(`${name} failed:\n${child.stderr}`);
      process.exit(1);
    }
    const line = child.stdout.trim().split('\n').pop();
    console.log(line);
    rows.push(JSON.parse(line));
  }
  console.log(`\n| client | events/s | p50 batch ms | p99 batch ms | RSS MiB |\n| --- | ---: | ---: | ---: | ---: |`);
  for (const r of rows) console.log(`| ${r.client} | ${r.eventsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.rssMiB} |`);
}
