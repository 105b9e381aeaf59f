// The machine's RabbitMQ and NATS JetStream as the consumer tests use them. The broker is shared
// (the demo, other runs, other people), so each test project gets its own exchange, queue, stream,
// subject prefix and durable consumer, and `cleanup` deletes them all: a demo's queue bound to `#`
// on the default exchange never sees these messages, and no test depends on what others left.
import { connect as amqpConnect } from 'amqplib';
import { connect as natsConnect } from 'nats';
import type { CollectorOptions } from '../../src/collector/index';
import type { FeedpulseEvent } from '../../src/core/types';
import type { FeedpulseServerOptions } from '../../src/consumer/index';

export const AMQP_URL = process.env.FEEDPULSE_TEST_AMQP ?? 'amqp://guest:guest@127.0.0.1:5672';
export const NATS_URL = process.env.FEEDPULSE_TEST_NATS ?? 'nats://127.0.0.1:4222';

export interface BrokerCase {
  name: 'RabbitMQ' | 'NATS JetStream';
  url: string;
  port: number;
  /** The consumer's queue / durable consumer, on the project's own exchange / stream. */
  source(project: string): NonNullable<FeedpulseServerOptions['source']>;
  /** The collector's exchange / stream and subject prefix for the project. */
  sinkOptions(project: string): NonNullable<CollectorOptions['sinkOptions']>;
  /** The checkpoint file's source id (`<kind>-<queue or durable>`). */
  sourceId(project: string): string;
  /** Publish an already counted event again straight to the broker, as a redelivery would bring it. */
  republish(project: string, event: FeedpulseEvent): Promise<void>;
  /** Delete everything the project's runs created on the broker. */
  cleanup(project: string): Promise<void>;
}

const exchangeOf = (p: string) => `feedpulse-test-${p}`;
const queueOf = (p: string) => `feedpulse.test.${p}`;
const streamOf = (p: string) => `FPTEST_${p}`;
const prefixOf = (p: string) => `fptest-${p}`;
const durableOf = (p: string) => `test-${p}`;
const stored = (event: FeedpulseEvent) => Buffer.from(JSON.stringify({ ...event, receivedAt: new Date().toISOString() }));

export const BROKERS: BrokerCase[] = [
  {
    name: 'RabbitMQ', url: AMQP_URL, port: 5672,
    source: (p) => ({ amqp: { exchange: exchangeOf(p), queue: queueOf(p), bindingKey: `${p}.#` } }),
    sinkOptions: (p) => ({ amqp: { exchange: exchangeOf(p) } }),
    sourceId: (p) => `amqp-${queueOf(p)}`,
    async republish(p, event) {
      const conn = await amqpConnect(AMQP_URL);
      const ch = await conn.createConfirmChannel();
      ch.publish(exchangeOf(p), `${p}.${event.type}`, stored(event), { persistent: true, messageId: event.id });
      await ch.waitForConfirms();
      await conn.close();
    },
    async cleanup(p) {
      const conn = await amqpConnect(AMQP_URL);
      const ch = await conn.createChannel();
      await ch.deleteQueue(queueOf(p));
      await ch.deleteExchange(exchangeOf(p));
      await conn.close();
    },
  },
  {
    name: 'NATS JetStream', url: NATS_URL, port: 4222,
    source: (p) => ({ nats: { stream: streamOf(p), subjectPrefix: prefixOf(p), durable: durableOf(p), ackWaitMs: 2000 } }),
    sinkOptions: (p) => ({ nats: { stream: streamOf(p), subjectPrefix: prefixOf(p) } }),
    sourceId: (p) => `nats-${durableOf(p)}`,
    async republish(p, event) {
      const nc = await natsConnect({ servers: NATS_URL.replace(/^nats:\/\//, '') });
      // No Nats-Msg-Id: the stream must not dedupe it; only the consumer's guard can.
      await nc.jetstream().publish(`${prefixOf(p)}.${p}.${event.type}`, stored(event));
      await nc.drain();
    },
    async cleanup(p) {
      const nc = await natsConnect({ servers: NATS_URL.replace(/^nats:\/\//, '') });
      // Deleting the stream deletes its consumers too.
      await (await nc.jetstreamManager()).streams.delete(streamOf(p)).catch(() => undefined);
      await nc.drain();
    },
  },
];
