// What the consumer's broker sources set up on the machine's RabbitMQ and NATS JetStream, and that
// it matches the collector's: the dashboard starts before its collector, so the stream or queue it
// creates is the one events go to. NATS: the collector's stream name, subject prefix and duplicate
// window, bounded by default (7 days, 10 GiB); a comma-separated server list. RabbitMQ: queues
// bounded by x-max-length / x-message-ttl, and a queue declared earlier with other arguments used
// as it is (RabbitMQ refuses a redeclare with 406 PRECONDITION_FAILED). Each test uses its own
// names and deletes them; a broker that is not running skips, saying so.
import { connect as amqpConnect } from 'amqplib';
import { connect as natsConnect, nanos } from 'nats';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nanoid } from 'nanoid';
import { afterAll, describe, expect, it } from 'vitest';
import { startFeedpulseServer } from '../../src/consumer/index';
import { amqpSource } from '../../src/consumer/sources/amqp';
import { natsSource } from '../../src/consumer/sources/nats';
import type { ConsumedEvent } from '../../src/consumer/types';
import type { ConsumerSource, Deliver } from '../../src/consumer/sources/source';
import type { LogEntry } from '../../src/server/logger';
import { natsServers, STREAM_DEFAULTS } from '../../src/server/brokers/nats';
import { AMQP_QUEUE_DEFAULTS } from '../../src/server/brokers/amqp';
import { AMQP_URL, NATS_URL } from '../helpers/brokers';
import { ratingEvent, postEvents, reachable, waitFor } from '../helpers/consumer';

const run = nanoid(8).replace(/[^A-Za-z0-9]/g, 'x');
const stored = (project: string, i: number) => Buffer.from(JSON.stringify({ ...ratingEvent(project, 4), id: `${run}-${i}`, receivedAt: new Date().toISOString() }));

/** Starts `source`, collecting (and acking) what it delivers. */
async function consume(source: ConsumerSource): Promise<ConsumedEvent[]> {
  const got: ConsumedEvent[] = [];
  const deliver: Deliver = async (batch) => { for (const d of batch) { got.push(d.event); d.ack?.(); } };
  await source.start(0, deliver);
  return got;
}

const natsUp = await reachable(4222);
describe('NATS JetStream source set-up', () => {
  const streams: string[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
    if (!natsUp) return;
    const nc = await natsConnect({ servers: natsServers(NATS_URL) });
    const jsm = await nc.jetstreamManager();
    for (const s of streams) await jsm.streams.delete(s).catch(() => undefined);
    await nc.drain();
  });

  it.skipIf(!natsUp)('the dashboard, starting first, creates the collector\'s stream: its subject prefix, duplicate window and default bounds', async () => {
    const stream = `FPSETUP_${run}`;
    const prefix = `fpsetup-${run}`;
    const project = `p${run}`;
    streams.push(stream);
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-setup-'));
    dirs.push(dataDir);
    // Only the collector is told the stream: the consumer must follow it.
    const server = await startFeedpulseServer({
      port: 0, host: '127.0.0.1', dataDir, broker: NATS_URL, source: { nats: { durable: `setup-${run}` } },
      collector: { log: false, rateLimit: false, sinkOptions: { nats: { stream, subjectPrefix: prefix, duplicateWindowMs: 5000 } } },
    }, {});
    try {
      const nc = await natsConnect({ servers: natsServers(NATS_URL) });
      const { config } = await (await nc.jetstreamManager()).streams.info(stream);
      await nc.drain();
      expect(config.subjects).toEqual([`${prefix}.>`]);
      expect(config.duplicate_window).toBe(nanos(5000));
      expect(config.max_age).toBe(nanos(STREAM_DEFAULTS.maxAgeMs));
      expect(config.max_bytes).toBe(STREAM_DEFAULTS.maxBytes);
      expect(STREAM_DEFAULTS.maxAgeMs).toBe(7 * 24 * 3600 * 1000);
      // And the events the collector publishes there are the ones the dashboard counts.
      expect((await postEvents(`${server.url}/v1/events`, [ratingEvent(project, 5), ratingEvent(project, 2)])).accepted).toBe(2);
      await waitFor(() => server.consumer!.processed() === 2, 15_000, 'both events counted');
    } finally {
      await server.close();
    }
  });

  it.skipIf(!natsUp)('reads a comma-separated server list, and creates the stream with the bounds it is given (0: none)', async () => {
    const project = `q${run}`;
    const log: LogEntry[] = [];
    const cases = [
      // A duplicate window longer than the age limit is cut to it (JetStream refuses it otherwise).
      { stream: `FPSETUP_B_${run}`, maxAgeMs: 60_000, maxBytes: 1024 * 1024, age: nanos(60_000), bytes: 1024 * 1024, window: nanos(60_000) },
      { stream: `FPSETUP_C_${run}`, maxAgeMs: 0, maxBytes: 0, age: 0, bytes: -1, window: nanos(STREAM_DEFAULTS.duplicateWindowMs) },
    ];
    for (const c of cases) {
      streams.push(c.stream);
      const prefix = `fpsetup-${c.stream.toLowerCase()}`;
      // Two entries for the same server: the list is split, not passed on as one address.
      const source = natsSource({
        url: `${NATS_URL}, nats://localhost:4222`, stream: c.stream, subjectPrefix: prefix, durable: `setup-${run}`,
        maxAgeMs: c.maxAgeMs, maxBytes: c.maxBytes, log: (e) => log.push(e),
      });
      const got = await consume(source);
      expect(log).toEqual([]);
      const nc = await natsConnect({ servers: natsServers(NATS_URL) });
      const { config } = await (await nc.jetstreamManager()).streams.info(c.stream);
      expect([config.max_age, config.max_bytes, config.duplicate_window]).toEqual([c.age, c.bytes, c.window]);
      await nc.jetstream().publish(`${prefix}.${project}.feedback`, stored(project, 1));
      await nc.drain();
      await waitFor(() => got.length === 1, 10_000, 'the published event');
      await source.stop();
      await source.close();
    }
  });
});

const amqpUp = await reachable(5672);
describe('RabbitMQ source set-up', () => {
  const exchange = `fpsetup-${run}`;
  const queues: string[] = [];
  afterAll(async () => {
    if (!amqpUp) return;
    const conn = await amqpConnect(AMQP_URL);
    const ch = await conn.createChannel();
    for (const q of queues) await ch.deleteQueue(q);
    await ch.deleteExchange(exchange);
    await conn.close();
  });

  async function publish(project: string, n: number): Promise<void> {
    const conn = await amqpConnect(AMQP_URL);
    const ch = await conn.createConfirmChannel();
    for (let i = 0; i < n; i++) ch.publish(exchange, `${project}.feedback`, stored(project, i), { persistent: true });
    await ch.waitForConfirms();
    await conn.close();
  }
  async function messageCount(queue: string): Promise<number> {
    const conn = await amqpConnect(AMQP_URL);
    const { messageCount: count } = await (await conn.createChannel()).checkQueue(queue);
    await conn.close();
    return count;
  }
  /** Declares the queue by starting a source on it, then leaves it without a consumer. */
  async function declare(queue: string, project: string, queueBounds?: { maxLength?: number; messageTtlMs?: number }, log: LogEntry[] = []) {
    queues.push(queue);
    const source = amqpSource({ url: AMQP_URL, exchange, queue, bindingKey: `${project}.#`, queueBounds, log: (e) => log.push(e) });
    const got = await consume(source);
    return { got, source };
  }

  it.skipIf(!amqpUp)('declares its queue with 1,000,000 messages and 7 days by default', async () => {
    const queue = `fpsetup.default.${run}`;
    const { source } = await declare(queue, `d${run}`);
    await source.stop();
    await source.close();
    expect(AMQP_QUEUE_DEFAULTS).toEqual({ maxLength: 1_000_000, messageTtlMs: 604_800_000 });
    const conn = await amqpConnect(AMQP_URL);
    // A declare with the same arguments is accepted; one without them is refused: the queue has them.
    await (await conn.createChannel()).assertQueue(queue, { durable: true, arguments: { 'x-max-length': 1_000_000, 'x-message-ttl': 604_800_000 } });
    const bare = await conn.createChannel();
    bare.on('error', () => undefined);
    await expect(bare.assertQueue(queue, { durable: true })).rejects.toMatchObject({ code: 406 });
    await conn.close();
  });

  it.skipIf(!amqpUp)('keeps at most maxLength messages (the oldest go) and none older than messageTtlMs', async () => {
    const long = `fpsetup.len.${run}`;
    const short = `fpsetup.ttl.${run}`;
    for (const [queue, project, bounds] of [[long, `l${run}`, { maxLength: 3, messageTtlMs: 0 }], [short, `t${run}`, { maxLength: 0, messageTtlMs: 300 }]] as const) {
      const { source } = await declare(queue, project, bounds);
      await source.stop();
      await source.close();
    }
    await publish(`l${run}`, 5);
    await publish(`t${run}`, 2);
    expect(await messageCount(long)).toBe(3);
    await waitFor(async () => (await messageCount(short)) === 0, 5000, 'the expired messages gone');
  });

  it.skipIf(!amqpUp)('uses a queue declared earlier without bounds as it is, saying so, instead of failing every start', async () => {
    const queue = `fpsetup.old.${run}`;
    const project = `o${run}`;
    const conn = await amqpConnect(AMQP_URL);
    await (await conn.createChannel()).assertQueue(queue, { durable: true });
    await conn.close();
    const log: LogEntry[] = [];
    const { got, source } = await declare(queue, project, undefined, log);
    expect(log).toEqual([expect.objectContaining({ level: 'warn', msg: 'queue_arguments_differ', queue })]);
    await publish(project, 2);
    await waitFor(() => got.length === 2, 10_000, 'both events delivered');
    await source.stop();
    await source.close();
  });
});
