// NATS JetStream source: a durable pull consumer on stream FEEDPULSE with explicit acks, sent only
// after the transaction holding the message's event committed. Redeliveries (ack wait passed, restart)
// of counted events are fp_seen duplicates.
import type { ConsumerMessages, NatsConnection } from 'nats';
import { createBatcher } from './batcher';
import { parseEventBody, type ConsumerSource, type Deliver } from './source';
import { defaultLogger, type Logger } from '../../server/logger';
import { reconnecting } from '../../server/reconnect';
import { connectNats, ensureStream, loadNats, STREAM_DEFAULTS, type StreamSettings } from '../../server/brokers/nats';
import { hideUrlPassword } from '../../server/brokers/spec';
import { SOURCE_RECONNECT } from './reconnect-timing';

/** The stream settings are the collector's (the source creates the same stream when it starts first). */
export interface NatsSourceOptions extends StreamSettings {
  /** `nats://host:4222`, or several servers comma-separated. */
  url: string;
  durable?: string;
  /** Subject filter (default `<subjectPrefix>.>`: every project and type). */
  filterSubject?: string;
  /** Unacked messages JetStream may hand us at once (default 5000). */
  maxAckPending?: number;
  /** How long JetStream waits for an ack before redelivering (default 30 s; used when creating the durable). */
  ackWaitMs?: number;
  /** Where state changes and failures go (default: JSON lines on stdout). */
  log?: Logger;
}

export function natsSource(options: NatsSourceOptions): ConsumerSource {
  const {
    url, stream = STREAM_DEFAULTS.stream, subjectPrefix = STREAM_DEFAULTS.subjectPrefix, durable = 'feedpulse-dashboard',
    filterSubject = `${subjectPrefix}.>`, maxAckPending = 5000, ackWaitMs = 30_000, log = defaultLogger,
  } = options;
  let deliver: Deliver = async () => undefined;
  const batcher = createBatcher(() => deliver, log);
  let nc: NatsConnection | undefined;
  let messages: ConsumerMessages | undefined;
  let stopped: Promise<void> | undefined;

  async function open(): Promise<void> {
    const { AckPolicy, DeliverPolicy, nanos } = await loadNats();
    const conn = await connectNats(url, 'feedpulse-consumer');
    try {
      const jsm = await conn.jetstreamManager();
      // The collector normally creates the stream; the same one is created here if we start first.
      await ensureStream(jsm, { ...options, stream, subjectPrefix });
      const config = {
        durable_name: durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All,
        filter_subject: filterSubject, max_ack_pending: maxAckPending, ack_wait: nanos(ackWaitMs),
      };
      await jsm.consumers.info(stream, durable).catch(() => jsm.consumers.add(stream, config));
      const consumer = await conn.jetstream().consumers.get(stream, durable);
      messages = await consumer.consume({
        max_messages: 1000,
        callback: (m) => {
          const event = parseEventBody(m.data);
          if (!event) {
            log({ level: 'warn', msg: 'message_not_an_event', source: 'nats', subject: m.subject });
            m.ack();
            return;
          }
          batcher.push({ event, ack: () => m.ack() });
        },
      });
      nc = conn;
    } catch (err) {
      await conn.close().catch(() => undefined);
      throw err;
    }
  }

  // nats.js reconnects a connection that was up on its own; this retries a start that failed.
  const reconnect = reconnecting(open, () => undefined, {
    backoff: SOURCE_RECONNECT,
    onFailed: (err, retry) => log(retry
      ? { level: 'error', msg: 'source_reconnect_failed', source: 'nats', error: err.message }
      : { level: 'error', msg: 'source_unreachable', source: 'nats', error: err.message }),
    discard: async () => { await messages?.close().catch(() => undefined); await nc?.drain().catch(() => undefined); },
  });

  return {
    kind: 'nats',
    id: `nats-${durable}`,
    description: `JetStream durable consumer ${durable} on ${stream} (${filterSubject}) at ${hideUrlPassword(url)}`,
    async start(_position, onBatch) {
      deliver = onBatch;
      // Like the collector's sink: a server that is not up yet is retried in the background.
      await reconnect.connect();
    },
    async stop() {
      // No retry after this; one that opens meanwhile is shut by the reconnect's discard.
      stopped = reconnect.close();
      await messages?.close().catch(() => undefined);
      await batcher.drained();
    },
    async close() {
      await (stopped ?? reconnect.close());
      // drain() flushes the acks of the last batch before closing.
      await nc?.drain().catch(() => undefined);
    },
  };
}
