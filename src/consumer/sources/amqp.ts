// RabbitMQ source: a durable queue bound to the topic exchange `feedpulse` (routing key `#` by
// default), manual acks sent only after the checkpoint covering the message is on disk. After a
// lost connection unacked messages come again; the consumer's seen-id guard skips them.
import { reopenWithBackoff } from './reopen';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { AMQP_NEEDED_BY, importPeer } from '../../collector/peer';
import { createBatcher } from './batcher';
import { parseEventBody, type ConsumerSource, type Deliver } from './source';
import { defaultLogger, type Logger } from '../../server/logger';

export interface AmqpSourceOptions {
  url: string;
  exchange?: string;
  queue?: string;
  /** Binding pattern on the exchange (default `#`: every project and type). */
  bindingKey?: string;
  /** Unacked messages the broker may hand us at once (default 2000). */
  prefetch?: number;
  /** Where state changes and failures go (default: JSON lines on stdout). */
  log?: Logger;
}


export function amqpSource(options: AmqpSourceOptions): ConsumerSource {
  const { url, exchange = 'feedpulse', queue = 'feedpulse.dashboard', bindingKey = '#', prefetch = 2000, log = defaultLogger } = options;
  let deliver: Deliver = async () => undefined;
  const batcher = createBatcher(() => deliver, log);
  let model: ChannelModel | undefined;
  let channel: Channel | undefined;
  let consumerTag: string | undefined;
  let stopping = false;
  let closed = false;
  let reconnecting: Promise<void> | undefined;

  async function open(): Promise<void> {
    // Loaded on first use: amqplib is an optional peer dependency (a browser app never installs it).
    const { connect } = await importPeer('amqplib', AMQP_NEEDED_BY, () => import('amqplib'));
    const m = await connect(url);
    model = m;
    const ch = await m.createChannel();
    channel = ch;
    await ch.assertExchange(exchange, 'topic', { durable: true });
    await ch.assertQueue(queue, { durable: true });
    await ch.bindQueue(queue, exchange, bindingKey);
    await ch.prefetch(prefetch);
    const onLost = (err?: Error) => {
      if (stopping || channel !== ch) return;
      channel = undefined;
      log({ level: 'error', msg: 'source_down', source: 'amqp', reason: err?.message ?? 'connection closed' });
      reconnecting ??= reconnect().finally(() => { reconnecting = undefined; });
    };
    m.on('error', onLost);
    m.on('close', () => onLost());
    ch.on('error', onLost);
    const reply = await ch.consume(queue, (msg: ConsumeMessage | null) => {
      if (!msg) return onLost(new Error('consumer cancelled by the broker'));
      const event = parseEventBody(msg.content);
      // Only ack on the channel that delivered it; after a reconnect the broker redelivers instead.
      const ack = () => { if (channel === ch) { try { ch.ack(msg); } catch { /* channel gone: redelivered later */ } } };
      if (!event) {
        log({ level: 'warn', msg: 'message_not_an_event', source: 'amqp', routingKey: msg.fields.routingKey });
        ack();
        return;
      }
      batcher.push({ event, ack });
    }, { noAck: false });
    consumerTag = reply.consumerTag;
  }

  const reconnect = () => reopenWithBackoff(
    async () => { await model?.close().catch(() => undefined); await open(); },
    () => stopping,
    async () => { await model?.close().catch(() => undefined); },
    log,
    'amqp',
  );

  return {
    kind: 'amqp',
    id: `amqp-${queue}`,
    description: `RabbitMQ queue ${queue} bound to ${exchange} (${bindingKey}) at ${url.replace(/\/\/[^@/]*@/, '//')}`,
    async start(_position, onBatch) {
      deliver = onBatch;
      try {
        await open();
      } catch (err) {
        // Like the collector's sink: a broker that is not up yet is retried in the background.
        log({ level: 'error', msg: 'source_unreachable', source: 'amqp', error: (err as Error).message });
        reconnecting ??= reconnect().finally(() => { reconnecting = undefined; });
      }
    },
    async stop() {
      stopping = true;
      if (channel && consumerTag) await channel.cancel(consumerTag).catch(() => undefined);
      // A reconnect still sleeping sees `stopping` and gives up; close() shuts whatever it opened.
      await batcher.drained();
    },
    async close() {
      if (closed) return;
      closed = true;
      await channel?.close().catch(() => undefined);
      await model?.close().catch(() => undefined);
    },
  };
}
