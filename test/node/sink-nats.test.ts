// NATS JetStream sink against the real server on 127.0.0.1:4222: a batch posted over HTTP is read
// back by a JetStream consumer filtered on this run's project, with subject
// <prefix>.<project>.<type> (this run's own stream and prefix), Nats-Msg-Id = id and the stored event as body; a resend is a
// duplicate (from the local index, and from the stream's duplicate window for a collector without
// that index); with the server unreachable (a TCP proxy we cut) the answer is 503, and once it is
// back the retried batch is accepted, nothing answered 200 lost.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { connect, AckPolicy, DeliverPolicy, nanos, type NatsConnection, type JsMsg } from 'nats';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector, startTcpProxy, probeTcp, post } from '../helpers/collector';
import { batchOf, feedbackEvent, trackEvent } from '../helpers/events';
import { nanoid } from 'nanoid';
import { waitFor } from '../helpers/wait';

const NATS_PORT = 4222;
let unreachable = await probeTcp(NATS_PORT);
if (!unreachable) {
  // The port answers; is JetStream enabled?
  const nc = await connect({ servers: `127.0.0.1:${NATS_PORT}`, timeout: 2000 }).catch((err: Error) => err);
  if (nc instanceof Error) unreachable = `NATS connect failed: ${nc.message}`;
  else {
    const info = await nc.jetstreamManager().then((m) => m.getAccountInfo()).catch((err: Error) => err);
    if (info instanceof Error) unreachable = `JetStream not available: ${info.message}`;
    await nc.close();
  }
}
if (unreachable) console.warn(`sink-nats: skipped, ${unreachable}`);

const run = nanoid(8).replace(/[^A-Za-z0-9]/g, 'x');
const project = `t-nats-${run}`;
// The run's own stream and subject prefix (the stream is deleted at the end), so messages of the
// demo or of other runs on this server never mix with these.
const STREAM = `FPTEST_${run}`;
const prefix = `fptest-${run}`;
const sinkOptions = { nats: { stream: STREAM, subjectPrefix: prefix } };
let nc: NatsConnection;
const dirs: string[] = [];

/** Messages of this run's project by Nats-Msg-Id (the last seen), and how often each id was seen. */
const seenCount = new Map<string, number>();
async function readSubjects(ids: string[], timeoutMs = 10_000): Promise<Map<string, JsMsg>> {
  seenCount.clear();
  // An ephemeral pull consumer with one filter subject (works on servers before 2.10 too).
  const jsm = await nc.jetstreamManager();
  const info = await jsm.consumers.add(STREAM, {
    filter_subject: `${prefix}.${project}.>`,
    ack_policy: AckPolicy.None,
    deliver_policy: DeliverPolicy.All,
    inactive_threshold: nanos(30_000),
  });
  const consumer = await nc.jetstream().consumers.get(STREAM, info.name);
  const found = new Map<string, JsMsg>();
  const until = Date.now() + timeoutMs;
  try {
    while (Date.now() < until && ids.some((id) => !found.has(id))) {
      const batch = await consumer.fetch({ max_messages: 100, expires: 1000 });
      for await (const m of batch) {
        const id = m.headers?.get('Nats-Msg-Id');
        if (id) seenCount.set(id, (seenCount.get(id) ?? 0) + 1);
        if (id && ids.includes(id)) found.set(id, m);
      }
    }
  } finally {
    await jsm.consumers.delete(STREAM, info.name).catch(() => undefined);
  }
  return found;
}

describe.skipIf(Boolean(unreachable))('NATS JetStream sink (real server)', () => {
  beforeAll(async () => {
    nc = await connect({ servers: `127.0.0.1:${NATS_PORT}` });
  });
  afterAll(async () => {
    await (await nc?.jetstreamManager())?.streams.delete(STREAM).catch(() => undefined);
    await nc?.close();
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fp-nats-'));
    dirs.push(dir);
    return dir;
  };

  it('publishes to its stream on <prefix>.<project>.<type> with Nats-Msg-Id = id; resends are duplicates', async () => {
    const c = await startCollector({ sink: `nats://127.0.0.1:${NATS_PORT}`, sinkOptions, dataDir: await tempDir() });
    try {
      const events = [feedbackEvent(project), trackEvent(project)];
      const res = await post(c.url, batchOf(events));
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
      const stream = await (await nc.jetstreamManager()).streams.info(STREAM);
      expect(stream.config.subjects).toContain(`${prefix}.>`);

      const found = await readSubjects(events.map((e) => e.id));
      for (const event of events) {
        const message = found.get(event.id)!;
        expect(message.subject).toBe(`${prefix}.${project}.${event.type}`);
        const body = message.json<Record<string, unknown>>();
        expect(body).toMatchObject({ id: event.id, type: event.type, project, data: event.data });
        expect(typeof body.receivedAt).toBe('string');
      }

      // Resend to the same collector: its local id index answers.
      expect((await post(c.url, batchOf(events))).json).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
      // A collector without that index (fresh data dir): JetStream's duplicate window answers.
      const fresh = await startCollector({ sink: `nats://127.0.0.1:${NATS_PORT}`, sinkOptions, dataDir: await tempDir() });
      try {
        expect((await post(fresh.url, batchOf(events))).json).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
      } finally {
        await fresh.stop();
      }
      const info = await (await nc.jetstreamManager()).streams.info(STREAM);
      await readSubjects(events.map((e) => e.id), 3000);
      // Each id is in the stream exactly once.
      expect(events.map((e) => seenCount.get(e.id))).toEqual([1, 1]);
      expect(info.state.messages).toBeGreaterThanOrEqual(2);

      // After a restart on the same data dir the id index still knows them.
      await c.collector.close();
      const restarted = await startCollector({ sink: `nats://127.0.0.1:${NATS_PORT}`, sinkOptions, dataDir: c.dataDir });
      try {
        expect((await post(restarted.url, batchOf(events))).json).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
      } finally {
        await restarted.stop();
      }
    } finally {
      await new Promise<void>((r) => c.server.close(() => r()));
    }
  });

  it('answers 503 while NATS is unreachable and accepts again once it is back, losing nothing', async () => {
    const proxy = await startTcpProxy(NATS_PORT);
    const c = await startCollector({ sink: `nats://127.0.0.1:${proxy.port}`, sinkOptions, dataDir: await tempDir(), sinkTimeoutMs: 3000 });
    const answered200: string[] = [];
    try {
      const before = [feedbackEvent(project)];
      expect((await post(c.url, batchOf(before))).status).toBe(200);
      answered200.push(...before.map((e) => e.id));

      await proxy.stop();
      const during = [feedbackEvent(project), trackEvent(project)];
      const down = await waitFor(async () => {
        const res = await post(c.url, batchOf(during));
        if (res.status === 200) answered200.push(...during.map((e) => e.id));
        return res.status === 503 && res;
      });
      expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await fetch(`${c.origin}/healthz`)).status).toBe(503);

      await proxy.start();
      const back = await waitFor(async () => {
        const res = await post(c.url, batchOf(during));
        return res.status === 200 && res;
      }, 20_000, 'a 200 after the broker is back', 200);
      expect((back.json.accepted as number) + (back.json.duplicates as number)).toBe(2);
      answered200.push(...during.map((e) => e.id));

      const found = await readSubjects([...new Set(answered200)]);
      expect([...new Set(answered200)].filter((id) => !found.has(id))).toEqual([]);
    } finally {
      await c.stop();
      await proxy.close();
    }
  });

  it('starts while the broker is unreachable (503), then accepts once it comes up', async () => {
    const proxy = await startTcpProxy(NATS_PORT);
    await proxy.stop();
    const c = await startCollector({ sink: `nats://127.0.0.1:${proxy.port}`, sinkOptions, dataDir: await tempDir(), sinkTimeoutMs: 3000 });
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

  it('answers 503 when no stream takes the subject (no 200 for a message nobody stored)', async () => {
    // The run's stream exists (made above) but does not cover this prefix: the server answers
    // the publish with a 503 "no responders" status instead of an ack.
    const c = await startCollector({
      sink: `nats://127.0.0.1:${NATS_PORT}`, dataDir: await tempDir(), sinkTimeoutMs: 3000,
      sinkOptions: { nats: { stream: STREAM, subjectPrefix: `fp-nostream-${run}` } },
    });
    try {
      const res = await post(c.url, batchOf([feedbackEvent(project)]));
      expect(res.status).toBe(503);
      expect(res.json.message).toMatch(/503|no stream|no responders/i);
    } finally {
      await c.stop();
    }
  });
});
