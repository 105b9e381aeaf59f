// RabbitMQ set-up shared by the collector's sink and the consumer's source: the connection (with
// a short heartbeat) and the topology both declare — the durable topic exchange and, when named,
// a durable queue with its bounds — so whichever starts first creates the same thing.
import type { Channel, ChannelModel } from 'amqplib';
import { importPeer } from '../peer.js';
import { neededBy } from './spec.js';
import type { Logger } from '../logger.js';

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

/** Opens a connection; amqplib is loaded on first use (an optional peer dependency). */
export async function connectAmqp(url: string): Promise<ChannelModel> {
  const { connect } = await importPeer('amqplib', neededBy('amqp'), () => import('amqplib'));
  return connect(withHeartbeat(url), { timeout: 3000 });
}

/** The default bounds of a queue Feedpulse declares: a consumer that is away for long costs at most this. */
export const AMQP_QUEUE_DEFAULTS = { maxLength: 1_000_000, messageTtlMs: 7 * 24 * 3600 * 1000 } as const;

export interface AmqpQueueBounds {
  /** Most messages the queue holds; past it the oldest are dropped (`x-max-length`; 0 = no bound). */
  maxLength?: number;
  /** Milliseconds a message may wait in the queue (`x-message-ttl`; 0 = no bound). */
  messageTtlMs?: number;
}

/** The queue arguments for `bounds` (defaults filled in, 0 leaves a bound out). */
export function queueArguments(bounds: AmqpQueueBounds = {}): Record<string, number> {
  const { maxLength = AMQP_QUEUE_DEFAULTS.maxLength, messageTtlMs = AMQP_QUEUE_DEFAULTS.messageTtlMs } = bounds;
  const args: Record<string, number> = {};
  if (maxLength > 0) args['x-max-length'] = maxLength;
  if (messageTtlMs > 0) args['x-message-ttl'] = messageTtlMs;
  return args;
}

export interface AmqpTopology {
  exchange: string;
  /** A durable queue bound to the exchange, or none. */
  queue?: string;
  /** Its binding pattern (default `#`: every project and type). */
  bindingKey?: string;
  bounds?: AmqpQueueBounds;
}

/**
 * Declares the exchange and the queue on a channel from `open` and answers the channel to go on with. A queue
 * that exists with other arguments (declared before its bounds were set, or with other bounds) makes
 * RabbitMQ close the channel with 406 PRECONDITION_FAILED: that queue is then used as it is, on a
 * new channel, and `queue_arguments_differ` is logged (RabbitMQ cannot change a queue's arguments;
 * a policy or deleting the queue can).
 */
export async function declareAmqpTopology<C extends Channel>(open: () => Promise<C>, topology: AmqpTopology, log: Logger): Promise<C> {
  const ch = await open();
  await ch.assertExchange(topology.exchange, 'topic', { durable: true });
  if (!topology.queue) return ch;
  const args = queueArguments(topology.bounds);
  let usable = ch;
  // The refused declare also closes this channel with an 'error' event; it is answered here.
  const refused = () => undefined;
  ch.on('error', refused);
  try {
    await ch.assertQueue(topology.queue, { durable: true, arguments: args });
    ch.off('error', refused);
  } catch (err) {
    if ((err as { code?: unknown }).code !== 406) throw err;
    log({ level: 'warn', msg: 'queue_arguments_differ', queue: topology.queue, wanted: args, error: (err as Error).message });
    usable = await open();
    await usable.checkQueue(topology.queue);
  }
  await usable.bindQueue(topology.queue, topology.exchange, topology.bindingKey ?? '#');
  return usable;
}
