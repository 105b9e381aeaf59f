// Apache Kafka source: a consumer group (default `feedpulse-dashboard`) on the collector's topic,
// read from the beginning the first time. Offsets are committed only from the acks, which the
// consumer sends after the transaction holding those events committed; after a crash or a
// rebalance Kafka hands out again what was not committed, and what of it was counted already is
// an fp_seen duplicate.
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { ensureKafkaTopic, kafkaClientConfig, loadKafka, parseKafkaUrl } from '../../server/brokers/kafka';
import { reconnecting } from '../../server/reconnect';
import { SOURCE_RECONNECT } from './reconnect-timing';
import { sleep } from '../../server/sleep';
import { parseEventBody, type ConsumerSource, type Deliver, type Delivery } from './source';
import { defaultLogger, type Logger } from '../../server/logger';

export interface KafkaSourceOptions {
  /** `kafka://host:9092[,host2:9092][?topic=…&clientId=…&tls=true&sasl=…]`, as for the collector. */
  url: string;
  /** Consumer group id (default `feedpulse-dashboard`). */
  groupId?: string;
  /** Session timeout: how long the group waits for a silent member before rebalancing (default 10 s). */
  sessionTimeoutMs?: number;
  /** Where state changes and failures go (default: JSON lines on stdout). */
  log?: Logger;
}

/** Commits per partition: the next offset to read, once everything before it is committed in the database. */
function createOffsetCommitter(commit: (partition: number, offset: string) => Promise<void>, log: Logger) {
  const due = new Map<number, bigint>();
  let flushing: Promise<void> = Promise.resolve();
  let queued = false;
  /** Events handed to the consumer whose ack (after their commit) has not come yet. */
  let unacked = 0;
  const flush = () => {
    queued = false;
    const batch = [...due];
    due.clear();
    flushing = flushing.then(() => Promise.all(batch.map(([p, o]) => commit(p, o.toString())))).then(
      () => undefined,
      // Not fatal: those events come again as fp_seen duplicates.
      (err: Error) => log({ level: 'error', msg: 'offset_commit_failed', source: 'kafka', error: err.message }),
    );
  };
  return {
    /** Called by the acks (in order per partition); one offset commit per partition per batch. */
    delivered(count: number) {
      unacked += count;
    },
    ack(partition: number, next: bigint) {
      unacked--;
      if ((due.get(partition) ?? -1n) < next) due.set(partition, next);
      if (!queued) {
        queued = true;
        queueMicrotask(flush);
      }
    },
    /** Resolves when every commit asked for so far has been answered. */
    async settled() {
      while (queued) await Promise.resolve();
      await flushing;
    },
    /** Waits (at most `ms`) until every delivered event is in the database and its offset committed. */
    async committedAll(ms: number) {
      const until = Date.now() + ms;
      while (unacked > 0 && Date.now() < until) await sleep(20);
      await this.settled();
    },
  };
}

/** How long a member waits on a rebalance for its batch in progress and its offset commit (below the rebalance timeout). */
const REBALANCE_COMMIT_WAIT_MS = 5000;

export function kafkaSource(options: KafkaSourceOptions): ConsumerSource {
  const settings = parseKafkaUrl(options.url);
  const { groupId = 'feedpulse-dashboard', sessionTimeoutMs = 10_000, log = defaultLogger } = options;
  const topic = settings.topic;
  let deliver: Deliver = async () => undefined;
  let kafka: Kafka | undefined;
  let consumer: Consumer | undefined;
  let stopping = false;
  let stopped: Promise<void> | undefined;
  let delivering: Promise<void> = Promise.resolve();
  const committer = createOffsetCommitter((partition, offset) => consumer ? consumer.commitOffsets([{ topic, partition, offset }]) : Promise.resolve(), log);

  async function eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (stopping || !isRunning() || isStale()) return;
    const { partition, messages } = batch;
    const deliveries: Delivery[] = [];
    // Each event's ack commits up to the next event of the batch, so a message that is not an
    // event (skipped with a warning) is committed with the event before it, never ahead of one.
    const nextOffsets: bigint[] = [];
    for (const message of messages) {
      const event = message.value ? parseEventBody(message.value) : undefined;
      if (deliveries.length) nextOffsets[deliveries.length - 1] = BigInt(message.offset);
      if (!event) {
        log({ level: 'warn', msg: 'message_not_an_event', source: 'kafka', topic, partition, offset: message.offset });
        continue;
      }
      const index = deliveries.length;
      deliveries.push({ event, ack: () => committer.ack(partition, nextOffsets[index]!) });
    }
    if (deliveries.length) nextOffsets[deliveries.length - 1] = BigInt(batch.lastOffset()) + 1n;
    committer.delivered(deliveries.length);
    const done = deliver(deliveries);
    delivering = done.catch(() => undefined);
    await done;
    // Read on from here (kafkajs fetches after the last resolved offset); committing is the acks' job.
    resolveOffset(batch.lastOffset());
    try {
      await heartbeat();
    } catch (err) {
      // A rebalance: before this member gives up its partitions (kafkajs rejoins once this
      // throws), its batch in progress (committed, then acked) and the offset commit it allows
      // go out, so the next owner starts after what was counted here instead of counting it again.
      if ((err as { type?: string }).type === 'REBALANCE_IN_PROGRESS') await committer.committedAll(REBALANCE_COMMIT_WAIT_MS);
      throw err;
    }
  }

  // While open() runs, kafkajs's own error lines are left out: a broker that is down makes two of
  // them per connection attempt (dozens a minute), and the start's "not reachable" line and the
  // retry loop's "retry failed" line already report each failed attempt once.
  let opening = false;

  async function open(): Promise<void> {
    const { Kafka: KafkaClient, logLevel } = await loadKafka();
    kafka ??= new KafkaClient(kafkaClientConfig(settings, `${settings.clientId}-dashboard`, () => (entry) => {
      if (entry.level <= logLevel.ERROR && !opening) log({ level: 'error', msg: 'kafka_client', source: 'kafka', error: String(entry.log.message) });
    }));
    opening = true;
    try {
      await connectAndRun(kafka);
    } finally {
      opening = false;
    }
  }

  async function connectAndRun(client: Kafka): Promise<void> {
    const admin = client.admin();
    try {
      await admin.connect();
      await ensureKafkaTopic(admin, settings);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    const next = client.consumer({ groupId, sessionTimeout: sessionTimeoutMs, heartbeatInterval: Math.min(3000, sessionTimeoutMs / 3), allowAutoTopicCreation: false });
    try {
      await next.connect();
      await next.subscribe({ topics: [topic], fromBeginning: true });
      // A crash of the run loop (broker gone past the client's retries) restarts it in the background.
      next.on(next.events.CRASH, ({ payload }) => {
        if (!payload.restart && !stopping) {
          log({ level: 'error', msg: 'source_down', source: 'kafka', reason: payload.error.message });
          reconnect.retry();
        }
      });
      await next.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 1, eachBatch });
      consumer = next;
    } catch (err) {
      await next.disconnect().catch(() => undefined);
      throw err;
    }
  }

  const reconnect = reconnecting(async () => {
    // A consumer that crashed is dropped before a new one joins the group.
    await consumer?.disconnect().catch(() => undefined);
    consumer = undefined;
    await open();
  }, () => undefined, {
    backoff: SOURCE_RECONNECT,
    onFailed: (err, retry) => log(retry
      ? { level: 'error', msg: 'source_reconnect_failed', source: 'kafka', error: err.message }
      : { level: 'error', msg: 'source_unreachable', source: 'kafka', error: err.message }),
    discard: async () => { await consumer?.disconnect().catch(() => undefined); },
  });

  return {
    kind: 'kafka',
    id: `kafka-${groupId}`,
    description: `Kafka consumer group ${groupId} on ${settings.display}`,
    async start(_position, onBatch) {
      deliver = onBatch;
      // Like the collector's sink: a broker that is not up yet is retried in the background.
      await reconnect.connect();
    },
    async stop() {
      // No consumer.stop() here: a stopped kafkajs consumer can no longer commit, and the final
      // batch's acks still commit. Nothing new is handed over once `stopping` is set.
      stopping = true;
      stopped = reconnect.close();
      consumer?.pause([{ topic }]);
      await delivering;
    },
    async close() {
      await (stopped ?? reconnect.close());
      await committer.settled();
      await consumer?.disconnect().catch(() => undefined);
      consumer = undefined;
    },
  };
}
