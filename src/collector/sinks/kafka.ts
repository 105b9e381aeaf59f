// Apache Kafka sink: topic `feedpulse.events` (created if missing), an idempotent producer with
// acks=all, message key `<project>:<anonymousId>` (one visitor's events stay in order on one
// partition), headers `id`, `type`, `project`, value = the stored event JSON. A write resolves only
// once the broker acknowledged every message of the batch. Reconnects with backoff; while
// disconnected, writes fail at once (503). Dedupe uses a bounded durable id index in the data
// directory, as for RabbitMQ and NATS.
import type { Admin, Kafka, Message, Producer } from 'kafkajs';
import { join } from 'node:path';
import { openIdJournal, type IdJournal, type IdSync } from '../id-journal.js';
import { SinkUnavailableError, UnknownTopicError } from '../errors.js';
import type { Sink, StoredEvent } from '../types.js';
import { settleWithin, CLOSE_WAIT_MS } from '../../server/settle.js';
import { reconnecting } from '../../server/reconnect.js';
import { SINK_RECONNECT } from './reconnect-timing.js';
import { createSendQueue } from './kafka-send-queue.js';
import { ensureKafkaTopic, kafkaClientConfig, loadKafka, parseKafkaUrl, type KafkaSettings } from '../../server/brokers/kafka.js';
import type { Logger } from '../../server/logger.js';

export interface KafkaSinkOptions {
  /** `kafka://host:9092[,host2:9092][?topic=…&partitions=…&replication=…&clientId=…&tls=true&sasl=…]` */
  url: string;
  dataDir: string;
  /** How long the broker may take to acknowledge one produce request (default 5 s). */
  ackTimeoutMs?: number;
  /** Ids remembered for dedupe (default 1,000,000). */
  idCapacity?: number;
  /** Id index fdatasync: true = before the 200, ms = in the background within that time (default 1000), false = at rotation/close only. */
  idSync?: IdSync;
  log?: Logger;
}

/** Errors of a broker that is up but cannot take the write now: answer 503, keep the connection. */
const BUSY_BROKER = new Set(['NOT_ENOUGH_REPLICAS', 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', 'REQUEST_TIMED_OUT', 'NOT_LEADER_FOR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/** The protocol error type of a kafkajs error, looking through its retry wrapper. */
function protocolType(err: unknown): string | undefined {
  for (let e = err as { type?: unknown; cause?: unknown; originalError?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.type === 'string') return e.type;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return undefined;
}

export const kafkaKeyOf = (event: StoredEvent): string => `${event.project}:${event.anonymousId}`;

export function toKafkaMessage(event: StoredEvent): Message {
  return {
    key: kafkaKeyOf(event),
    value: JSON.stringify(event),
    headers: { id: event.id, type: event.type, project: event.project },
  };
}

export function createKafkaSink(options: KafkaSinkOptions): Sink {
  const settings: KafkaSettings = parseKafkaUrl(options.url);
  const log = options.log ?? (() => undefined);
  const ackTimeoutMs = options.ackTimeoutMs ?? 5000;
  let kafka: Kafka | undefined;
  let admin: Admin | undefined;
  let producer: Producer | undefined;
  let journal: IdJournal | undefined;
  /** Topics known to exist (the configured one, and those the REST route named). */
  const knownTopics = new Set<string>();
  /** One group-commit queue per topic (only topics that exist get one). */
  const senders = new Map<string, (messages: Message[]) => Promise<void>>();
  const senderFor = (topic: string) => {
    let sender = senders.get(topic);
    if (!sender) {
      // acks -1 = all in-sync replicas; the idempotent producer numbers each message, so the
      // client's own retries never store a message twice.
      sender = createSendQueue(async (messages) => {
        const current = producer;
        if (!current) throw new SinkUnavailableError('Kafka is not connected', 2);
        await current.send({ topic, acks: -1, timeout: ackTimeoutMs, messages });
      });
      senders.set(topic, sender);
    }
    return sender;
  };

  /** Drops both clients (bounded: a dead broker never answers the disconnect) and reconnects. */
  const lost = (why: string) => {
    if (producer) log({ msg: 'sink_down', sink: 'kafka', reason: why });
    const oldProducer = producer;
    const oldAdmin = admin;
    producer = undefined;
    admin = undefined;
    void settleWithin(oldProducer?.disconnect(), CLOSE_WAIT_MS);
    void settleWithin(oldAdmin?.disconnect(), CLOSE_WAIT_MS);
    reconnect.retry();
  };

  async function connect(): Promise<{ admin: Admin; producer: Producer }> {
    let nextAdmin: Admin | undefined;
    let nextProducer: Producer | undefined;
    try {
      // Loaded on first use, so a collector on another sink never loads kafkajs.
      const { Kafka: KafkaClient, Partitioners, logLevel } = await loadKafka();
      kafka ??= new KafkaClient(kafkaClientConfig(settings, settings.clientId, () => (entry) => {
        // Only the client's errors: its retries while a broker is down are the sink's own log lines.
        if (entry.level <= logLevel.ERROR) log({ level: 'warn', msg: 'kafka_client', error: String(entry.log.message) });
      }));
      nextAdmin = kafka.admin();
      await nextAdmin.connect();
      await ensureKafkaTopic(nextAdmin, settings);
      knownTopics.add(settings.topic);
      nextProducer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 5,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
      });
      await nextProducer.connect();
      return { admin: nextAdmin, producer: nextProducer };
    } catch (err) {
      await settleWithin(nextProducer?.disconnect(), 1000);
      await settleWithin(nextAdmin?.disconnect(), 1000);
      throw err;
    }
  }

  const reconnect = reconnecting(connect, (up) => {
    admin = up.admin;
    producer = up.producer;
    log({ msg: 'sink_up', sink: 'kafka', topic: settings.topic });
  }, {
    backoff: SINK_RECONNECT,
    onFailed: (err) => log({ msg: 'sink_connect_failed', sink: 'kafka', error: err.message }),
    discard: async (up) => {
      await settleWithin(up.producer.disconnect(), 1000);
      await settleWithin(up.admin.disconnect(), 1000);
    },
  });

  const ready = (async () => {
    journal = await openIdJournal(join(options.dataDir, 'kafka-ids'), options.idCapacity, options.idSync);
    await reconnect.connect(); // first attempt settles either way; later ones run in the background
  })();
  ready.catch(() => undefined);

  /** A topic the REST route names must exist: the collector creates only its own topic. */
  async function checkTopic(client: Admin, topic: string): Promise<void> {
    if (knownTopics.has(topic)) return;
    const topics = await client.listTopics();
    if (!topics.includes(topic)) throw new UnknownTopicError(topic);
    knownTopics.add(topic);
  }

  return {
    kind: 'kafka',
    ready,
    isUp: () => producer !== undefined,
    has: (id) => journal?.has(id) ?? false,
    stats: () => ({ dedupe_index_ids: journal?.size() ?? 0 }),
    async write(events, target) {
      await ready;
      const client = producer;
      const adminClient = admin;
      if (!client || !adminClient) {
        reconnect.retry();
        throw new SinkUnavailableError('Kafka is not connected: unreachable or refusing the collector (its log says why: sink_connect_failed)', 2);
      }
      const topic = target?.topic ?? settings.topic;
      try {
        await checkTopic(adminClient, topic);
        await senderFor(topic)(events.map(toKafkaMessage));
      } catch (err) {
        if (err instanceof UnknownTopicError || err instanceof SinkUnavailableError) throw err;
        const type = protocolType(err);
        // A topic deleted since it was looked up is looked up again (the reconnect recreates the collector's own).
        if (type === 'UNKNOWN_TOPIC_OR_PARTITION') knownTopics.delete(topic);
        if (!type || !BUSY_BROKER.has(type)) {
          if (producer === client) lost(type ?? (err as Error).message);
        }
        throw new SinkUnavailableError(`Kafka did not acknowledge the batch (${type ?? (err as Error).message})`, 2, { cause: err });
      }
      await journal!.add(events.map((e) => e.id));
      return { duplicateIds: [] };
    },
    async close() {
      await reconnect.close();
      const p = producer;
      const a = admin;
      producer = undefined;
      admin = undefined;
      // Bounded: a broker gone silent never answers the disconnect.
      await settleWithin(p?.disconnect(), CLOSE_WAIT_MS);
      await settleWithin(a?.disconnect(), CLOSE_WAIT_MS);
      await ready.catch(() => undefined);
      await journal?.close();
    },
  };
}
