// A broker that goes silent without closing the TCP connection (network partition, hung host): the
// collector must notice within seconds — /healthz 503 and fast 503s — not after minutes of "ok"
// health while every batch waits sinkTimeoutMs for confirms/acks that never come; and it must
// reconnect once the broker answers again; and close() must not hang on it. Against the real brokers, behind a proxy that can
// swallow every byte while keeping the connections open (startTcpProxy's silence()).
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectAmqp } from 'amqplib';
import { connect as connectNats } from 'nats';
import { startCollector, startTcpProxy, probeTcp, post } from '../helpers/collector';
import { batchOf, feedbackEvent } from '../helpers/events';
import { nanoid } from 'nanoid';
import { waitFor } from '../helpers/wait';

const AMQP_PORT = 5672;
const NATS_PORT = 4222;
const amqpDown = await probeTcp(AMQP_PORT);
const natsDown = await probeTcp(NATS_PORT);
if (amqpDown) console.warn(`sink-silent-broker (amqp): skipped, RabbitMQ not reachable: ${amqpDown}`);
if (natsDown) console.warn(`sink-silent-broker (nats): skipped, NATS not reachable: ${natsDown}`);

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const newProject = () => `t-silent-${nanoid(8).replace(/[^A-Za-z0-9]/g, 'x')}`;
// Each case has its own exchange / stream and subject prefix (deleted at the end): a shared broker
// holds the demo's and other runs' queues and streams, which must neither see nor shape these.
const ownNames = (project: string) => ({ exchange: `feedpulse-test-${project}`, stream: `FPTEST_${project}`, subjectPrefix: `fptest-${project}` });

async function silentBrokerCase(project: string, sink: (port: number) => string, targetPort: number) {
  const names = ownNames(project);
  const proxy = await startTcpProxy(targetPort);
  const dataDir = await mkdtemp(join(tmpdir(), 'fp-silent-'));
  dirs.push(dataDir);
  const c = await startCollector({
    sink: sink(proxy.port),
    sinkOptions: { amqp: { exchange: names.exchange }, nats: { stream: names.stream, subjectPrefix: names.subjectPrefix } },
    dataDir,
    // Long enough that "503 at once" (sink known down) and "503 after the timeout" stay far apart
    // on a loaded CI machine.
    sinkTimeoutMs: 6000,
  });
  try {
    expect((await post(c.url, batchOf([feedbackEvent(project)]))).status).toBe(200);

    proxy.silence();
    const silencedAt = Date.now();
    const slow = await post(c.url, batchOf([feedbackEvent(project)]));
    expect(slow.status).toBe(503); // no confirm/ack within sinkTimeoutMs
    await waitFor(async () => (await fetch(`${c.origin}/healthz`)).status === 503, 30_000, 'the collector answer', 250);
    const noticedMs = Date.now() - silencedAt;
    // Before: amqplib took the broker's 60 s heartbeat (noticed after ~180 s measured), nats.js its
    // 2-minute ping interval; now a few beats of 5 s.
    expect(noticedMs).toBeLessThan(30_000);
    const started = Date.now();
    expect((await post(c.url, batchOf([feedbackEvent(project)]))).status).toBe(503);
    expect(Date.now() - started).toBeLessThan(3000); // at once, not after sinkTimeoutMs (6 s)

    proxy.heal();
    const events = [feedbackEvent(project)];
    await waitFor(async () => (await post(c.url, batchOf(events))).status === 200, 30_000, 'the collector answer', 250);

    // SIGTERM while the broker is silent: close() must finish (the id index is flushed on close),
    // not wait for a close handshake that never comes (before: RabbitMQ > 60 s, NATS ~18 s).
    proxy.silence();
    const closing = Date.now();
    await c.collector.close();
    expect(Date.now() - closing).toBeLessThan(10_000);
    return noticedMs;
  } finally {
    await c.stop();
    await proxy.close();
  }
}

describe('a broker that goes silent', () => {
  it.skipIf(Boolean(amqpDown))('RabbitMQ: noticed within seconds, then reconnected', async () => {
    const project = newProject();
    const { exchange } = ownNames(project);
    // A queue of our own for the project's events (else the collector rightly answers 503, unroutable).
    const model = await connectAmqp(`amqp://guest:guest@127.0.0.1:${AMQP_PORT}`);
    const channel = await model.createChannel();
    try {
      await channel.assertExchange(exchange, 'topic', { durable: true });
      const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
      await channel.bindQueue(queue, exchange, `${project}.*`);
      await silentBrokerCase(project, (port) => `amqp://guest:guest@127.0.0.1:${port}`, AMQP_PORT);
    } finally {
      await channel.deleteExchange(exchange).catch(() => undefined);
      await model.close();
    }
  }, 90_000);

  it.skipIf(Boolean(natsDown))('NATS JetStream: noticed within seconds, then reconnected', async () => {
    const project = newProject();
    try {
      await silentBrokerCase(project, (port) => `nats://127.0.0.1:${port}`, NATS_PORT);
    } finally {
      // The collector made the stream; deleting it takes this run's messages with it.
      const nc = await connectNats({ servers: `127.0.0.1:${NATS_PORT}` });
      await (await nc.jetstreamManager()).streams.delete(ownNames(project).stream).catch(() => undefined);
      await nc.close();
    }
  }, 90_000);
});
