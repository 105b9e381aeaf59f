// NATS JetStream source: a durable pull consumer on stream FEEDPULSE with explicit acks, sent only
// after the checkpoint covering the message is on disk. Redeliveries (ack wait passed, restart)
// are skipped by the consumer's seen-id guard.
import { reopenWithBackoff } from './reopen';
import type { ConsumerMessages, NatsConnection } from 'nats';
import { NATS_NEEDED_BY, importPeer } from '../../collector/peer';
import { createBatcher } from './batcher';
import { parseEventBody, type ConsumerSource, type Deliver } from './source';
import { defaultLogger, type Logger } from '../../server/logger';

export interface NatsSourceOptions {
  url: string;
  stream?: string;
  /** The collector's subject prefix (default `feedpulse`): the stream's subjects when the source creates it, and the default filter. */
  subjectPrefix?: string;
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
  const { url, stream = 'FEEDPULSE', subjectPrefix = 'feedpulse', durable = 'feedpulse-dashboard', filterSubject = `${subjectPrefix}.>`, maxAckPending = 5000, ackWaitMs = 30_000, log = defaultLogger } = options;
  let deliver: Deliver = async () => undefined;
  const batcher = createBatcher(() => deliver, log);
  let nc: NatsConnection | undefined;
  let messages: ConsumerMessages | undefined;
  let stopping = false;

  async function open(): Promise<void> {
    // Loaded on first use: nats is an optional peer dependency (a browser app never installs it).
    const { AckPolicy, DeliverPolicy, connect, nanos } = await importPeer('nats', NATS_NEEDED_BY, () => import('nats'));
    const conn = await connect({ servers: url.replace(/^nats:\/\//, ''), name: 'feedpulse-consumer', maxReconnectAttempts: -1 });
    try {
      const jsm = await conn.jetstreamManager();
      // The collector normally creates the stream; create it with the same subjects if we start first.
      await jsm.streams.info(stream).catch(() => jsm.streams.add({ name: stream, subjects: [`${subjectPrefix}.>`] }));
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

  const retry = () => reopenWithBackoff(
    open,
    () => stopping,
    async () => { await messages?.close().catch(() => undefined); await nc?.drain().catch(() => undefined); },
    log,
    'nats',
  );

  return {
    kind: 'nats',
    id: `nats-${durable}`,
    description: `JetStream durable consumer ${durable} on ${stream} (${filterSubject}) at ${url}`,
    async start(_position, onBatch) {
      deliver = onBatch;
      try {
        await open();
      } catch (err) {
        // Like the collector's sink: a server that is not up yet is retried in the background.
        log({ level: 'error', msg: 'source_unreachable', source: 'nats', error: (err as Error).message });
        void retry();
      }
    },
    async stop() {
      // A background retry still sleeping sees `stopping` and gives up; one that just opened closes below.
      stopping = true;
      await messages?.close().catch(() => undefined);
      await batcher.drained();
    },
    async close() {
      // drain() flushes the acks sent by the final checkpoint before closing.
      await nc?.drain().catch(() => undefined);
    },
  };
}
