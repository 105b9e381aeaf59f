// RabbitMQ sink: topic exchange `feedpulse` (durable), routing key `<project>.<type>`, persistent
// messages on a confirm channel, `message_id` = event id, published `mandatory` so that an event no
// queue takes is not answered 200. Reconnects with backoff; while disconnected, writes fail at once
// (503) instead of piling up. Dedupe uses a bounded durable id index in the data directory.
import type { ChannelModel, ConfirmChannel, Message } from 'amqplib';
import { join } from 'node:path';
import { openIdJournal, type IdJournal, type IdSync } from '../id-journal.js';
import { AMQP_NEEDED_BY, importPeer } from '../peer.js';
import { SinkUnavailableError } from '../errors.js';
import type { Sink, StoredEvent } from '../types.js';
import { routingKeyOf } from './subject.js';
import { backoffMs } from '../../server/backoff.js';
import { settleWithin, CLOSE_WAIT_MS } from '../../server/settle.js';
import { SINK_RECONNECT } from './reconnect-timing.js';
import type { Logger } from '../../server/logger.js';

export interface AmqpSinkOptions {
  url: string;
  dataDir: string;
  /** Exchange name (default `feedpulse`). */
  exchange?: string;
  /** Also declare this durable queue bound to every key (`#`), so events are kept before any consumer exists. */
  queue?: string;
  /** Ids remembered for dedupe (default 1,000,000). */
  idCapacity?: number;
  /** Id index fdatasync: true = before the 200, ms = in the background within that time (default 1000), false = at rotation/close only. */
  idSync?: IdSync;
  log?: Logger;
}

/**
 * Heartbeat (seconds) asked for unless the URL sets `heartbeat=`: amqplib otherwise takes the
 * broker's 60 s, and a broker that goes silent without closing the TCP connection (a network
 * partition, a hung host) is noticed only after two to three beats — minutes in which /healthz says
 * ok and every batch waits sinkTimeoutMs for confirms that never come.
 */
export const AMQP_HEARTBEAT_SECONDS = 5;

export function withHeartbeat(url: string): string {
  if (/[?&]heartbeat=/i.test(url)) return url;
  const hash = url.indexOf('#');
  const [base, fragment] = hash === -1 ? [url, ''] : [url.slice(0, hash), url.slice(hash)];
  return `${base}${base.includes('?') ? '&' : '?'}heartbeat=${AMQP_HEARTBEAT_SECONDS}${fragment}`;
}

export function createAmqpSink(options: AmqpSinkOptions): Sink {
  const exchange = options.exchange ?? 'feedpulse';
  const log = options.log ?? (() => undefined);
  let model: ChannelModel | undefined;
  let channel: ConfirmChannel | undefined;
  let journal: IdJournal | undefined;
  let closed = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;
  let connecting: Promise<void> | undefined;
  /** message ids the broker returned as unroutable, until their confirm arrives. */
  const returned = new Set<string>();

  const scheduleReconnect = () => {
    if (closed || timer) return;
    const delay = Math.round(backoffMs(attempt++, SINK_RECONNECT));
    timer = setTimeout(() => {
      timer = undefined;
      void connectOnce();
    }, delay);
    timer.unref();
  };

  const lost = (why: string) => {
    if (channel || model) log({ msg: 'sink_down', sink: 'amqp', reason: why });
    channel = undefined;
    const old = model;
    model = undefined;
    old?.close().catch(() => undefined);
    scheduleReconnect();
  };

  function connectOnce(): Promise<void> {
    connecting ??= (async () => {
      try {
        // Loaded on first use, so a collector on the embedded sink never loads amqplib.
        const { connect } = await importPeer('amqplib', AMQP_NEEDED_BY, () => import('amqplib'));
        const next = await connect(withHeartbeat(options.url), { timeout: 3000 });
        next.on('error', () => undefined); // 'close' follows
        next.on('close', () => model === next && lost('connection closed'));
        const ch = await next.createConfirmChannel();
        ch.on('error', () => undefined);
        ch.on('close', () => channel === ch && lost('channel closed'));
        ch.on('return', (message: Message) => {
          const id = message.properties.messageId as string | undefined;
          if (id) returned.add(id);
        });
        await ch.assertExchange(exchange, 'topic', { durable: true });
        if (options.queue) {
          await ch.assertQueue(options.queue, { durable: true });
          await ch.bindQueue(options.queue, exchange, '#');
        }
        if (closed) {
          await next.close().catch(() => undefined);
          return;
        }
        model = next;
        channel = ch;
        attempt = 0;
        log({ msg: 'sink_up', sink: 'amqp' });
      } catch (err) {
        log({ msg: 'sink_connect_failed', sink: 'amqp', error: (err as Error).message });
        scheduleReconnect();
      } finally {
        connecting = undefined;
      }
    })();
    return connecting;
  }

  const ready = (async () => {
    journal = await openIdJournal(join(options.dataDir, 'amqp-ids'), options.idCapacity, options.idSync);
    await connectOnce(); // first attempt settles either way; later ones run in the background
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
        if (!connecting) scheduleReconnect();
        throw new SinkUnavailableError('RabbitMQ is not connected: unreachable or refusing the collector (its log says why: sink_connect_failed)', 2);
      }
      await Promise.all(events.map((event) => publishOne(ch, event)));
      await journal!.add(events.map((e) => e.id));
      return { duplicateIds: [] };
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await connecting;
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
