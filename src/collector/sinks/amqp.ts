// RabbitMQ sink: topic exchange `feedpulse` (durable), routing key `<project>.<type>`, persistent
// messages on a confirm channel, `message_id` = event id, published `mandatory` so that an event no
// queue takes is not answered 200. Reconnects with backoff; while disconnected, writes fail at once
// (503) instead of piling up. Dedupe uses a bounded durable id index in the data directory.
import type { ChannelModel, ConfirmChannel, Message } from 'amqplib';
import { join } from 'node:path';
import { openIdJournal, type IdJournal, type IdSync } from '../id-journal.js';
import { SinkUnavailableError } from '../errors.js';
import type { Sink, StoredEvent } from '../types.js';
import { routingKeyOf } from './subject.js';
import { settleWithin, CLOSE_WAIT_MS } from '../../server/settle.js';
import { reconnecting } from '../../server/reconnect.js';
import { connectAmqp, declareAmqpTopology, type AmqpQueueBounds } from '../../server/brokers/amqp.js';
import { SINK_RECONNECT } from './reconnect-timing.js';
import type { Logger } from '../../server/logger.js';

export { AMQP_HEARTBEAT_SECONDS, withHeartbeat } from '../../server/brokers/amqp.js';

export interface AmqpSinkOptions {
  url: string;
  dataDir: string;
  /** Exchange name (default `feedpulse`). */
  exchange?: string;
  /** Also declare this durable queue bound to every key (`#`), so events are kept before any consumer exists. */
  queue?: string;
  /** Bounds of that queue (default 1,000,000 messages, 7 days). */
  queueBounds?: AmqpQueueBounds;
  /** Ids remembered for dedupe (default 1,000,000). */
  idCapacity?: number;
  /** Id index fdatasync: true = before the 200, ms = in the background within that time (default 1000), false = at rotation/close only. */
  idSync?: IdSync;
  log?: Logger;
}

export function createAmqpSink(options: AmqpSinkOptions): Sink {
  const exchange = options.exchange ?? 'feedpulse';
  const log = options.log ?? (() => undefined);
  let model: ChannelModel | undefined;
  let channel: ConfirmChannel | undefined;
  let journal: IdJournal | undefined;
  /** message ids the broker returned as unroutable, until their confirm arrives. */
  const returned = new Set<string>();

  const lost = (why: string) => {
    if (channel || model) log({ msg: 'sink_down', sink: 'amqp', reason: why });
    channel = undefined;
    const old = model;
    model = undefined;
    old?.close().catch(() => undefined);
    connection.retry();
  };

  async function connect(): Promise<{ model: ChannelModel; channel: ConfirmChannel }> {
    const next = await connectAmqp(options.url);
    try {
      next.on('error', () => undefined); // 'close' follows
      next.on('close', () => model === next && lost('connection closed'));
      const open = async () => {
        const ch = await next.createConfirmChannel();
        ch.on('error', () => undefined);
        ch.on('close', () => channel === ch && lost('channel closed'));
        ch.on('return', (message: Message) => {
          const id = message.properties.messageId as string | undefined;
          if (id) returned.add(id);
        });
        return ch;
      };
      const ch = await declareAmqpTopology(open, { exchange, queue: options.queue, bounds: options.queueBounds }, log);
      return { model: next, channel: ch };
    } catch (err) {
      await next.close().catch(() => undefined);
      throw err;
    }
  }

  const connection = reconnecting(connect, (up) => {
    model = up.model;
    channel = up.channel;
    log({ msg: 'sink_up', sink: 'amqp' });
  }, {
    backoff: SINK_RECONNECT,
    onFailed: (err) => log({ msg: 'sink_connect_failed', sink: 'amqp', error: err.message }),
    discard: (up) => up.model.close().catch(() => undefined),
  });

  const ready = (async () => {
    journal = await openIdJournal(join(options.dataDir, 'amqp-ids'), options.idCapacity, options.idSync);
    await connection.connect(); // first attempt settles either way; later ones run in the background
  })();
  ready.catch(() => undefined);

  function publishOne(ch: ConfirmChannel, event: StoredEvent): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const body = Buffer.from(JSON.stringify(event), 'utf8');
      const onConfirm = (err: unknown) => {
        const unroutable = returned.delete(event.id);
        if (err) reject(new SinkUnavailableError('RabbitMQ did not confirm the message', 2, { cause: err }));
        else if (unroutable) reject(new SinkUnavailableError(`no queue is bound for routing key ${routingKeyOf(event.project, event.type)}`, 30));
        else resolve();
      };
      try {
        ch.publish(exchange, routingKeyOf(event.project, event.type), body, {
          persistent: true,
          mandatory: true,
          messageId: event.id,
          contentType: 'application/json',
          type: event.type,
          timestamp: Math.floor(Date.parse(event.receivedAt) / 1000),
          appId: 'feedpulse',
        }, onConfirm);
      } catch (err) {
        reject(new SinkUnavailableError('RabbitMQ channel is closed', 2, { cause: err }));
      }
    });
  }

  return {
    kind: 'amqp',
    ready,
    isUp: () => channel !== undefined,
    has: (id) => journal?.has(id) ?? false,
    stats: () => ({ dedupe_index_ids: journal?.size() ?? 0 }),
    async write(events) {
      await ready;
      const ch = channel;
      if (!ch) {
        connection.retry();
        throw new SinkUnavailableError('RabbitMQ is not connected: unreachable or refusing the collector (its log says why: sink_connect_failed)', 2);
      }
      await Promise.all(events.map((event) => publishOne(ch, event)));
      await journal!.add(events.map((e) => e.id));
      return { duplicateIds: [] };
    },
    async close() {
      await connection.close();
      const ch = channel;
      channel = undefined;
      // Bounded: a silent broker never confirms nor answers the close handshake.
      await settleWithin(ch?.waitForConfirms(), CLOSE_WAIT_MS);
      const m = model;
      model = undefined;
      if (m && !(await settleWithin(m.close(), CLOSE_WAIT_MS))) {
        (m as unknown as { connection?: { stream?: { destroy?: () => void } } }).connection?.stream?.destroy?.();
      }
      await ready.catch(() => undefined);
      await journal?.close();
    },
  };
}
