// RabbitMQ source: a durable queue bound to the topic exchange `feedpulse` (routing key `#` by
// default), manual acks sent only after the transaction holding the message's event committed. After a
// lost connection unacked messages come again; what was counted is an fp_seen duplicate.
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { createBatcher } from './batcher';
import { parseEventBody, type ConsumerSource, type Deliver } from './source';
import { defaultLogger, type Logger } from '../../server/logger';
import { reconnecting } from '../../server/reconnect';
import { connectAmqp, declareAmqpTopology, type AmqpQueueBounds } from '../../server/brokers/amqp';
import { hideUrlPassword } from '../../server/brokers/spec';
import { SOURCE_RECONNECT } from './reconnect-timing';

export interface AmqpSourceOptions {
  url: string;
  exchange?: string;
  queue?: string;
  /** Binding pattern on the exchange (default `#`: every project and type). */
  bindingKey?: string;
  /** Bounds of the queue when this source declares it (default 1,000,000 messages, 7 days). */
  queueBounds?: AmqpQueueBounds;
  /** Unacked messages the broker may hand us at once (default 2000). */
  prefetch?: number;
  /** Where state changes and failures go (default: JSON lines on stdout). */
  log?: Logger;
}

export function amqpSource(options: AmqpSourceOptions): ConsumerSource {
  const { url, exchange = 'feedpulse', queue = 'feedpulse.dashboard', bindingKey = '#', queueBounds, prefetch = 2000, log = defaultLogger } = options;
  let deliver: Deliver = async () => undefined;
  const batcher = createBatcher(() => deliver, log);
  let model: ChannelModel | undefined;
  let channel: Channel | undefined;
  let consumerTag: string | undefined;
  let stopping = false;
  let closed = false;
  let stopped: Promise<void> | undefined;

  async function open(): Promise<void> {
    // A connection half-opened by a failed attempt, or lost, is shut before the next.
    await model?.close().catch(() => undefined);
    const m = await connectAmqp(url);
    model = m;
    const ch = await declareAmqpTopology(() => m.createChannel(), { exchange, queue, bindingKey, bounds: queueBounds }, log);
    channel = ch;
    await ch.prefetch(prefetch);
    const onLost = (err?: Error) => {
      if (stopping || channel !== ch) return;
      channel = undefined;
      log({ level: 'error', msg: 'source_down', source: 'amqp', reason: err?.message ?? 'connection closed' });
      reconnect.retry();
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

  const reconnect = reconnecting(open, () => undefined, {
    backoff: SOURCE_RECONNECT,
    onFailed: (err, retry) => log(retry
      ? { level: 'error', msg: 'source_reconnect_failed', source: 'amqp', error: err.message }
      : { level: 'error', msg: 'source_unreachable', source: 'amqp', error: err.message }),
    // Opened while stopping: close() shuts it.
  });

  return {
    kind: 'amqp',
    id: `amqp-${queue}`,
    description: `RabbitMQ queue ${queue} bound to ${exchange} (${bindingKey}) at ${hideUrlPassword(url)}`,
    async start(_position, onBatch) {
      deliver = onBatch;
      // Like the collector's sink: a broker that is not up yet is retried in the background.
      await reconnect.connect();
    },
    async stop() {
      stopping = true;
      stopped = reconnect.close();
      if (channel && consumerTag) await channel.cancel(consumerTag).catch(() => undefined);
      // A reconnect still sleeping sees `stopping` and gives up; close() shuts whatever it opened.
      await batcher.drained();
    },
    async close() {
      if (closed) return;
      closed = true;
      await (stopped ?? reconnect.close());
      await channel?.close().catch(() => undefined);
      await model?.close().catch(() => undefined);
    },
  };
}
