// Shared by the Kafka tests: which broker (FEEDPULSE_KAFKA_TEST_BROKERS, default 127.0.0.1:9092,
// the one `scripts/kafka.sh start` runs), whether it answers (skip with the reason, or fail when
// FEEDPULSE_REQUIRE_KAFKA=1 as in CI), a reader for a topic, names with a random suffix, and a
// broker of a test's own (scripts/kafka.sh on free ports) for the tests that stop it.
import { Kafka, logLevel, type Admin, type KafkaMessage } from 'kafkajs';
import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { nanoid } from 'nanoid';

export const KAFKA_BROKERS = (process.env.FEEDPULSE_KAFKA_TEST_BROKERS ?? '127.0.0.1:9092').split(',');

export const kafkaClient = (brokers = KAFKA_BROKERS) =>
  new Kafka({ brokers, clientId: 'fp-test', logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 100 } });

/** undefined when the broker answers a metadata request; else why not. Fails the file when Kafka is required. */
export async function kafkaUnreachable(file: string): Promise<string | undefined> {
  const admin = kafkaClient().admin();
  let reason: string | undefined;
  try {
    await admin.connect();
    await admin.listTopics();
  } catch (err) {
    reason = `Kafka at ${KAFKA_BROKERS.join(',')} not reachable (${(err as Error).message}); start it with npm run kafka -- start`;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  if (reason && process.env.FEEDPULSE_REQUIRE_KAFKA === '1') throw new Error(`${file}: FEEDPULSE_REQUIRE_KAFKA=1 but ${reason}`);
  if (reason) console.warn(`${file}: skipped, ${reason}`);
  return reason;
}

/** `fp-k-<what>-<random>`: this run's own topic or group name. */
export const kafkaName = (what: string) => `fp-k-${what}-${nanoid(8).replace(/[^A-Za-z0-9]/g, 'x')}`;

export async function createTopic(admin: Admin, topic: string, partitions = 3): Promise<void> {
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
}

export interface ReadMessage {
  partition: number;
  offset: string;
  key: string;
  headers: Record<string, string>;
  value: Record<string, unknown>;
}

/** Every message of `topic` from the beginning, read until `count` arrived (then `settleMs` more, to see extras). */
export async function readTopic(topic: string, count: number, { timeoutMs = 20_000, settleMs = 1000, brokers = KAFKA_BROKERS } = {}): Promise<ReadMessage[]> {
  const kafka = kafkaClient(brokers);
  const groupId = kafkaName('reader');
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  const messages: ReadMessage[] = [];
  const toRecord = (partition: number, m: KafkaMessage): ReadMessage => ({
    partition,
    offset: m.offset,
    key: m.key?.toString('utf8') ?? '',
    headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(v)])),
    value: JSON.parse(m.value?.toString('utf8') ?? 'null') as Record<string, unknown>,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ autoCommit: false, eachMessage: async ({ partition, message }) => { messages.push(toRecord(partition, message)); } });
    const until = Date.now() + timeoutMs;
    while (messages.length < count && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, settleMs));
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  return messages;
}

const script = fileURLToPath(new URL('../../scripts/kafka.sh', import.meta.url));
const run = promisify(execFile);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** A broker of the test's own, so stopping it disturbs no other test. Restarts keep its data. */
export interface OwnBroker {
  brokers: string[];
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  remove(): Promise<void>;
}

export async function startOwnBroker(): Promise<OwnBroker> {
  const port = await freePort();
  const env = { ...process.env, FEEDPULSE_KAFKA_PORT: String(port), FEEDPULSE_KAFKA_CONTROLLER_PORT: String(await freePort()), FEEDPULSE_KAFKA_HEAP: '384m' };
  const keep = { ...env, FEEDPULSE_KAFKA_KEEP_DATA: '1' };
  const call = (command: string, environment: NodeJS.ProcessEnv) => run('bash', [script, command], { env: environment, timeout: 120_000 }).then(() => undefined);
  await call('start', env);
  return {
    brokers: [`127.0.0.1:${port}`],
    stop: () => call('stop', keep),
    start: () => call('start', keep),
    remove: () => call('stop', env),
  };
}
