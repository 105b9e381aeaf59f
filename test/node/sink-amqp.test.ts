// RabbitMQ sink against the real broker on 127.0.0.1:5672: a batch posted over HTTP arrives in a
// bound queue with the right routing key, message_id, headers and body; a resend is a duplicate
// (also after a collector restart); with the broker unreachable (a TCP proxy we cut) the answer is
// 503 and nothing answered 200 is lost; once it is back, the retried batch is accepted.
// The run has its own exchange (deleted at the end): on a shared broker a queue bound to `#` on the
// default exchange `feedpulse` (a demo's dashboard queue) would otherwise take every message.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { connect, type ChannelModel, type Channel, type ConsumeMessage } from 'amqplib';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector, startTcpProxy, probeTcp, post } from '../helpers/collector';
import { batchOf, feedbackEvent, trackEvent } from '../helpers/events';
import { nanoid } from 'nanoid';
import { waitFor } from '../helpers/wait';

const AMQP_PORT = 5672;
const unreachable = await probeTcp(AMQP_PORT);
if (unreachable) console.warn(`sink-amqp: skipped, RabbitMQ not reachable: ${unreachable}`);

const run = nanoid(8).replace(/[^A-Za-z0-9]/g, 'x');
const project = `t-amqp-${run}`;
const exchange = `feedpulse-test-${run}`;
const sinkOptions = { amqp: { exchange } };
let model: ChannelModel;
let channel: Channel;
const received: ConsumeMessage[] = [];
const dirs: string[] = [];

describe.skipIf(Boolean(unreachable))('RabbitMQ sink (real broker)', () => {
  beforeAll(async () => {
    model = await connect(`amqp://guest:guest@127.0.0.1:${AMQP_PORT}`);
    channel = await model.createChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, exchange, `${project}.*`);
    await channel.consume(queue, (msg) => msg && received.push(msg), { noAck: true });
  });
  afterAll(async () => {
    await channel?.deleteExchange(exchange).catch(() => undefined);
    await model?.close();
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fp-amqp-'));
    dirs.push(dir);
    return dir;
  };
  const messagesFor = (ids: string[]) => received.filter((m) => ids.includes(m.properties.messageId as string));

  it('publishes each event persistently to its exchange with routing key <project>.<type> and message_id = id', async () => {
    const c = await startCollector({ sink: `amqp://guest:guest@127.0.0.1:${AMQP_PORT}`, sinkOptions, dataDir: await tempDir() });
    try {
      const events = [feedbackEvent(project), trackEvent(project)];
      const res = await post(c.url, batchOf(events));
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
      const ids = events.map((e) => e.id);
      const messages = await waitFor(() => messagesFor(ids).length === 2 && messagesFor(ids));
      for (const event of events) {
        const message = messages.find((m) => m.properties.messageId === event.id)!;
        expect(message.fields.exchange).toBe(exchange);
        expect(message.fields.routingKey).toBe(`${project}.${event.type}`);
        expect(message.properties.contentType).toBe('application/json');
        expect(message.properties.deliveryMode).toBe(2);
        const body = JSON.parse(message.content.toString('utf8'));
        expect(body).toMatchObject({ id: event.id, type: event.type, project, data: event.data, page: event.page });
        expect(typeof body.receivedAt).toBe('string');
      }

      // A resend is a duplicate and publishes nothing.
      const again = await post(c.url, batchOf(events));
      expect(again.json).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
      await new Promise((r) => setTimeout(r, 300));
      expect(messagesFor(ids)).toHaveLength(2);

      // The durable id index survives a restart of the collector.
      await c.collector.close();
      const restarted = await startCollector({ sink: `amqp://guest:guest@127.0.0.1:${AMQP_PORT}`, sinkOptions, dataDir: c.dataDir });
      try {
        expect((await post(restarted.url, batchOf(events))).json).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
      } finally {
        await restarted.stop();
      }
    } finally {
      await new Promise<void>((r) => c.server.close(() => r()));
    }
  });

  it('answers 503 for events no queue is bound for, instead of letting the exchange drop them', async () => {
    const c = await startCollector({ sink: `amqp://guest:guest@127.0.0.1:${AMQP_PORT}`, sinkOptions, dataDir: await tempDir() });
    try {
      const res = await post(c.url, batchOf([feedbackEvent(`t-unbound-${run}`)]));
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await c.stop();
    }
  });

  it('answers 503 while the broker is unreachable, loses nothing, and accepts again once it is back', async () => {
    const proxy = await startTcpProxy(AMQP_PORT);
    const c = await startCollector({ sink: `amqp://guest:guest@127.0.0.1:${proxy.port}`, sinkOptions, dataDir: await tempDir() });
    const answered200: string[] = [];
    try {
      const before = [feedbackEvent(project)];
      expect((await post(c.url, batchOf(before))).status).toBe(200);
      answered200.push(...before.map((e) => e.id));

      await proxy.stop();
      const during = [feedbackEvent(project), trackEvent(project)];
      const down = await waitFor(async () => {
        const res = await post(c.url, batchOf(during));
        if (res.status === 200) answered200.push(...during.map((e) => e.id)); // raced the cut: fine, must arrive
        return res.status === 503 && res;
      });
      expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await fetch(`${c.origin}/healthz`)).status).toBe(503);

      await proxy.start();
      // The SDK retries; here we retry the same batch until it is accepted.
      const back = await waitFor(async () => {
        const res = await post(c.url, batchOf(during));
        return res.status === 200 && res;
      }, 20_000, 'a 200 after the broker is back', 200);
      expect((back.json.accepted as number) + (back.json.duplicates as number)).toBe(2);
      answered200.push(...during.map((e) => e.id));

      // Every event answered 200 reached the queue.
      await waitFor(() => answered200.every((id) => messagesFor([id]).length > 0));
      const metrics = await fetch(`${c.origin}/metrics`).then((r) => r.text());
      expect(metrics).toMatch(/feedpulse_events_rejected_total\{reason="sink_unavailable"\} [1-9]/);
    } finally {
      await c.stop();
      await proxy.close();
    }
  });

  it('with wrong credentials answers 503 pointing at the log, which names the refusal', async () => {
    const c = await startCollector({ sink: `amqp://guest:not-the-password@127.0.0.1:${AMQP_PORT}`, sinkOptions, dataDir: await tempDir() });
    try {
      const res = await post(c.url, batchOf([feedbackEvent(project)]));
      expect(res.status).toBe(503);
      // Not "not reachable" (it is reachable): the answer says where the reason is.
      expect(res.json.message).toMatch(/refusing the collector.*sink_connect_failed/);
      expect(JSON.stringify(res.json)).not.toContain('not-the-password');
      const failed = c.logs.find((e) => e.msg === 'sink_connect_failed');
      expect(failed?.error).toMatch(/ACCESS.REFUSED/);
      expect((await fetch(`${c.origin}/healthz`)).status).toBe(503);
    } finally {
      await c.stop();
    }
  });

  it('starts while the broker is unreachable (503), then accepts once it comes up', async () => {
    const proxy = await startTcpProxy(AMQP_PORT);
    await proxy.stop();
    const c = await startCollector({ sink: `amqp://guest:guest@127.0.0.1:${proxy.port}`, sinkOptions, dataDir: await tempDir() });
    try {
      const events = [feedbackEvent(project)];
      const down = await post(c.url, batchOf(events));
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
      await proxy.start();
      const back = await waitFor(async () => {
        const res = await post(c.url, batchOf(events));
        return res.status === 200 && res;
      }, 20_000, 'a 200 after the broker is back', 200);
      expect(back.json).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    } finally {
      await c.stop();
      await proxy.close();
    }
  });
});
