// A reference for the collector benchmark: how fast the broker itself takes persistent messages
// from a plain client on this machine (no HTTP, no collector) — RabbitMQ confirmed publishes or
// JetStream acked publishes of one event-sized message each, with many in flight.
// Kafka: the collector's own producer settings (idempotent, acks=all), sending batches of
// BENCH_KAFKA_BATCH (default 20) messages as the collector does for one request.
//   node bench/collector-broker-raw.mjs amqp|nats|kafka <seconds> <inFlight>   → prints {"messagesPerSecond":N}
import { randomBytes } from 'node:crypto';

const [kind, seconds = '5', inFlight = '640'] = process.argv.slice(2);
const AMQP_URL = process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const NATS_URL = process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';
const KAFKA_BROKERS = (process.env.BENCH_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const run = `bench-raw-${randomBytes(3).toString('hex')}`;
const body = JSON.stringify({
  id: 'x'.repeat(21), type: 'feedback', ts: new Date().toISOString(), project: run, anonymousId: 'anon', sessionId: 's',
  page: { url: 'https://shop.example/checkout', path: '/checkout', title: 'Checkout' },
  data: { rating: 4, scale: 'stars', comment: 'Fast checkout, friendly support' }, receivedAt: new Date().toISOString(),
});

let publish;
let cleanup;
if (kind === 'amqp') {
  const { connect } = await import('amqplib');
  const model = await connect(AMQP_URL);
  const ch = await model.createConfirmChannel();
  await ch.assertExchange('feedpulse', 'topic', { durable: true });
  const { queue } = await ch.assertQueue('', { exclusive: true, arguments: { 'x-max-length': 20000 } });
  await ch.bindQueue(queue, 'feedpulse', `${run}.*`);
  const content = Buffer.from(body);
  let n = 0;
  publish = () => new Promise((resolve, reject) => ch.publish('feedpulse', `${run}.feedback`, content,
    { persistent: true, mandatory: true, messageId: `${run}-${n++}`, contentType: 'application/json' }, (err) => (err ? reject(err) : resolve())));
  cleanup = async () => { await ch.deleteQueue(queue); await model.close(); };
} else if (kind === 'nats') {
  const { connect } = await import('nats');
  const nc = await connect({ servers: NATS_URL.replace(/^nats:\/\//, ''), noAsyncTraces: true }); // as the collector's sink
  const js = nc.jetstream();
  let n = 0;
  publish = () => js.publish(`feedpulse.${run}.feedback`, body, { msgID: `${run}-${n++}` });
  cleanup = async () => {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.purge('FEEDPULSE', { filter: `feedpulse.${run}.>` }).catch(() => undefined);
    await nc.close();
  };
} else if (kind === 'kafka') {
  const { Kafka, Partitioners, logLevel } = await import('kafkajs');
  const kafka = new Kafka({ clientId: 'fp-bench-raw', brokers: KAFKA_BROKERS, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: run, numPartitions: 3 }], waitForLeaders: true });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const batch = Number(process.env.BENCH_KAFKA_BATCH ?? 20);
  let n = 0;
  const messages = () => Array.from({ length: batch }, () => ({ key: `${run}:anon-${n % 997}`, value: body, headers: { id: `${run}-${n++}`, type: 'feedback', project: run } }));
  // One send = `batch` messages: counted as that many below.
  publish = () => producer.send({ topic: run, acks: -1, messages: messages() }).then(() => { done += batch - 1; });
  cleanup = async () => { await producer.disconnect(); await admin.deleteTopics({ topics: [run] }).catch(() => undefined); await admin.disconnect(); };
} else {
  console.error('usage: collector-broker-raw.mjs amqp|nats|kafka <seconds> <inFlight>');
  process.exit(2);
}

let done = 0;
let stop = false;
const worker = async () => {
  while (!stop) {
    await publish();
    done++;
  }
};
const workers = kind === 'kafka' ? Math.max(1, Math.round(Number(inFlight) / Number(process.env.BENCH_KAFKA_BATCH ?? 20))) : Number(inFlight);
const warm = Array.from({ length: workers }, worker);
await new Promise((r) => setTimeout(r, 1000));
const start = done;
const t0 = performance.now();
await new Promise((r) => setTimeout(r, Number(seconds) * 1000));
const rate = (done - start) / ((performance.now() - t0) / 1000);
stop = true;
await Promise.all(warm);
await cleanup();
process.stdout.write(`${JSON.stringify({ messagesPerSecond: Math.round(rate) })}\n`);
