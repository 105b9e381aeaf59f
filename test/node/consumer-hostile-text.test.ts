// Visitor text is data, never an object key: names such as `__proto__`, `constructor` or `attempts`
// in every text field of an event, sent in one batch with real ratings, leave every real rating
// counted, alerted and webhooked, show up as plain text, and keep working after a restart
// (checkpoint and alert log read back). Through the embedded log (the server's own collector) and
// through the machine's RabbitMQ and NATS JetStream (published straight to the broker under this
// test's own exchange / queue / stream / durable names, as any publisher could; all deleted after).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as amqpConnect, type ConfirmChannel } from 'amqplib';
import { connect as natsConnect } from 'nats';
import { nanoid } from 'nanoid';
import { afterAll, describe, expect, it } from 'vitest';
import { startFeedpulseServer, type FeedpulseServer, type FeedpulseServerOptions } from '../../src/consumer/index';
import { ratingEvent, postEvents, reachable, waitFor } from '../helpers/consumer';
import { dbCounts } from '../helpers/db-counts';
import { clickKey } from '../../src/consumer/db/metrics';

const HOSTILE = [
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf',
  '__defineGetter__', 'toJSON', 'then', 'length', 'attempts', 'delivery', 'window', 'get', 'set', 'count',
];
const AMQP_URL = process.env.FEEDPULSE_TEST_AMQP ?? 'amqp://guest:guest@127.0.0.1:5672';
const NATS_URL = process.env.FEEDPULSE_TEST_NATS ?? 'nats://127.0.0.1:4222';
const prototypeNames = () => Object.getOwnPropertyNames(Object.prototype).sort();

/** Events of every type whose every text field (and key) is `word`, for project `project`. */
function hostileEvents(word: string, project: string): Record<string, unknown>[] {
  const base = () => ({
    id: nanoid(), ts: new Date().toISOString(), project, anonymousId: word, sessionId: word, userId: word,
    locale: word, trigger: word,
    page: { url: `https://shop.example/${encodeURIComponent(word)}?${encodeURIComponent(word)}=${encodeURIComponent(word)}`, path: word, title: word, referrer: word },
  });
  return [
    { ...base(), type: 'click', data: { selector: word, tag: word, text: word, href: word } },
    { ...base(), type: 'feedback', data: { rating: 1, scale: 'stars', comment: `${word} ${word} is broken`, tags: [word] } },
    { ...base(), type: 'feedback', data: { rating: 0, scale: 'nps', comment: word, tags: [word, word] } },
    { ...base(), type: 'track', data: { name: word, props: { [word]: word, nested: { [word]: [word] } } } },
    { ...base(), type: 'identify', data: { traits: { [word]: word } } },
    { ...base(), type: 'pageview', data: {} },
  ];
}

/** Real customers: 1-star ratings (one alert each) and a few good ones, distinct visitors. */
const realRatings = (project: string) => [
  ...Array.from({ length: 6 }, (_, i) => ratingEvent(project, 1, { comment: `Checkout failed again ${i}`, path: `/checkout/${i}` })),
  ...Array.from({ length: 6 }, () => ratingEvent(project, 5, { path: '/product' })),
];

/** A local webhook receiver: every POSTed body, as text. */
async function webhookReceiver(): Promise<{ url: string; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { body += c; });
    req.on('end', () => { bodies.push(body); res.writeHead(200).end('ok'); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** Every real 1-star rating has an alert that was delivered, and the receiver got its event id. */
async function expectAlertedAndWebhooked(server: FeedpulseServer, bodies: string[], ids: string[]): Promise<void> {
  const records = await server.alertReader.list(2000);
  for (const id of ids) {
    const record = records.find((r) => r.alert.id === id);
    expect(record, `alert for ${id}`).toBeDefined();
    expect(record!.delivery, `delivery of ${id}`).toBe('delivered');
    expect(bodies.some((b) => b.includes(id)), `webhook for ${id}`).toBe(true);
  }
}

/** The hostile words come out as plain text with numeric counts, in the database and in the view. */
async function expectPlainText(server: FeedpulseServer): Promise<void> {
  const click = await server.db.query<{ count: number }>("SELECT count FROM fp_rollups WHERE project = '' AND metric = 'click' AND key = $1", [clickKey('__proto__', '__proto__')]);
  expect(click[0]?.count).toBeGreaterThanOrEqual(1);
  const words = await server.db.query<{ key: string; count: number }>("SELECT key, sum(count) AS count FROM fp_rollups WHERE project = '' AND metric = 'negative_word' GROUP BY key");
  expect(typeof words.find((w) => w.key === 'constructor')?.count).toBe('number');
  for (const w of words) expect(typeof w.count).toBe('number');
  expect((await server.alertReader.list(2000)).some((r) => r.alert.path === '__proto__' && r.alert.anonymousId === '__proto__' && r.alert.comment === '__proto__ __proto__ is broken')).toBe(true);
  const view = (await server.view());
  expect(view.failed).toBe(0);
  for (const s of view.hotSpots) expect(typeof s.count).toBe('number');
  for (const w of view.negativeWords.words) expect(typeof w.count).toBe('number');
  expect(prototypeNames()).toEqual(before);
}
/** After a hostile round: every real 1-star rating was alerted and webhooked, nothing failed, the hostile text is plain text. */
async function expectRealRatingsHandled(server: FeedpulseServer, real: ReturnType<typeof realRatings>, bodies: string[]): Promise<void> {
  const lowIds = real.filter((e) => e.type === 'feedback' && e.data.rating === 1).map((e) => e.id);
  await waitFor(() => lowIds.every((id) => bodies.some((b) => b.includes(id))), 10_000, 'webhooks of the real 1-star ratings');
  await server.notifier!.idle();
  expect(server.consumer!.failed()).toBe(0);
  await expectAlertedAndWebhooked(server, bodies, lowIds);
  await expectPlainText(server);
}
const before = prototypeNames();

describe('hostile visitor text (embedded log)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => { for (const c of cleanup.reverse()) await c(); });

  it('counts, alerts and webhooks every real rating in a batch full of prototype names, also after a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-hostile-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const hook = await webhookReceiver();
    cleanup.push(hook.close);
    const start = () => startFeedpulseServer({
      port: 0, host: '127.0.0.1', dataDir, webhookUrl: hook.url, collector: { log: false, rateLimit: false },
      webhookRetry: { attempts: 2, baseDelayMs: 10 },
    }, {});

    const run = async (server: FeedpulseServer, alreadyCounted: number) => {
      // Hostile events first, the real ratings after them in the same request (so the same read batch).
      const hostile = HOSTILE.flatMap((w) => [...hostileEvents(w, 'shop'), ...hostileEvents(w, w)]);
      const real = realRatings('shop');
      const answer = await postEvents(`${server.url}/v1/events`, [...hostile, ...real] as never);
      // The collector refuses some (forbidden keys and project names); everything it accepted counts.
      expect(answer.accepted).toBeGreaterThan(real.length + HOSTILE.length * 3);
      await waitFor(() => server.consumer!.processed() === alreadyCounted + answer.accepted, 10_000, `${answer.accepted} events counted`);
      await expectRealRatingsHandled(server, real, hook.bodies);
      return answer.accepted;
    };

    const a = await start();
    const firstCount = await run(a, 0);
    const counts = await dbCounts(a.db);
    await a.close();

    // Restart: the checkpoint and the alert log are read back; same counts, and new events work.
    const b = await start();
    cleanup.push(() => b.close());
    expect(await dbCounts(b.db)).toEqual(counts);
    await expectPlainText(b);
    await run(b, firstCount);
  });
});

/** A broker under names of this test's own; `pending` is what it still holds unacked or unread. */
interface BrokerCase {
  name: string;
  port: number;
  setup(suffix: string): Promise<{
    options: Pick<FeedpulseServerOptions, 'broker' | 'source'>;
    publish(events: Record<string, unknown>[]): Promise<void>;
    pending(): Promise<number>;
    cleanup(): Promise<void>;
  }>;
}

const brokers: BrokerCase[] = [
  {
    name: 'RabbitMQ', port: 5672,
    async setup(suffix) {
      const exchange = `fp-a-hostile-${suffix}`;
      const queue = `fp-a-hostile-${suffix}`;
      const channel = async <T>(work: (ch: ConfirmChannel) => Promise<T>): Promise<T> => {
        const conn = await amqpConnect(AMQP_URL);
        try { return await work(await conn.createConfirmChannel()); } finally { await conn.close(); }
      };
      return {
        options: { broker: AMQP_URL, source: { amqp: { exchange, queue, bindingKey: '#' } } },
        publish: (events) => channel(async (ch) => {
          for (const e of events) ch.publish(exchange, `x.${String(e.type)}`, Buffer.from(JSON.stringify({ ...e, receivedAt: new Date().toISOString() })), { persistent: true });
          await ch.waitForConfirms();
        }),
        pending: () => channel(async (ch) => (await ch.checkQueue(queue)).messageCount),
        cleanup: () => channel(async (ch) => { await ch.deleteQueue(queue); await ch.deleteExchange(exchange); }),
      };
    },
  },
  {
    name: 'NATS JetStream', port: 4222,
    async setup(suffix) {
      const stream = `FP_A_HOSTILE_${suffix}`;
      const subjects = `fp-a-hostile-${suffix}.>`;
      const durable = `fp-a-hostile-${suffix}`;
      const nc = await natsConnect({ servers: NATS_URL.replace(/^nats:\/\//, '') });
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name: stream, subjects: [subjects] });
      return {
        options: { broker: NATS_URL, source: { nats: { stream, durable, filterSubject: subjects } } },
        async publish(events) {
          const js = nc.jetstream();
          for (const e of events) await js.publish(`fp-a-hostile-${suffix}.${String(e.type)}`, new TextEncoder().encode(JSON.stringify({ ...e, receivedAt: new Date().toISOString() })));
        },
        async pending() {
          const info = await jsm.consumers.info(stream, durable);
          return info.num_pending + info.num_ack_pending;
        },
        async cleanup() { await jsm.streams.delete(stream).catch(() => undefined); await nc.drain(); },
      };
    },
  },
];

for (const broker of brokers) {
  const up = await reachable(broker.port);
  describe(`hostile visitor text (${broker.name})`, () => {
    const suffix = nanoid(8).replace(/[^A-Za-z0-9]/g, 'x');
    const cleanup: (() => Promise<void>)[] = [];
    afterAll(async () => { for (const c of cleanup.reverse()) await c().catch(() => undefined); });

    it.skipIf(!up)(`counts, alerts and webhooks every real rating among any publisher's prototype names, and acks them all${up ? '' : ` — skipped: nothing listens on 127.0.0.1:${broker.port}`}`, async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'fp-hostile-broker-'));
      cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
      const names = await broker.setup(suffix);
      cleanup.push(names.cleanup);
      const hook = await webhookReceiver();
      cleanup.push(hook.close);
      const options: FeedpulseServerOptions = {
        port: 0, host: '127.0.0.1', dataDir, webhookUrl: hook.url, collector: { log: false, rateLimit: false },
        webhookRetry: { attempts: 2, baseDelayMs: 10 }, ...names.options,
      };

      const run = async (server: FeedpulseServer, alreadyCounted: number) => {
        // A broker's other publishers are not checked by the collector: forbidden project names,
        // keys and ids reach the consumer as they are.
        const hostile = HOSTILE.flatMap((w) => [...hostileEvents(w, 'shop'), ...hostileEvents(w, w)]);
        const real = realRatings('shop');
        const all: Record<string, unknown>[] = [...hostile, ...real] as never[];
        await names.publish(all);
        await waitFor(() => server.consumer!.processed() + server.consumer!.failed() === alreadyCounted + all.length, 15_000, `${all.length} events handled`);
        await expectRealRatingsHandled(server, real, hook.bodies);
        return all.length;
      };

      const a = await startFeedpulseServer(options, {});
      const first = await run(a, 0);
      const counts = await dbCounts(a.db);
      await a.close();
      // Every message was acked: nothing waits to be redelivered at the next start.
      await waitFor(async () => (await names.pending()) === 0, 5_000, 'every message acked');

      const b = await startFeedpulseServer(options, {});
      cleanup.push(() => b.close());
      await new Promise((r) => setTimeout(r, 300));
      expect(await dbCounts(b.db)).toEqual(counts);
      await expectPlainText(b);
      await run(b, first);
      await waitFor(async () => (await names.pending()) === 0, 5_000, 'every message acked');
    });
  });
}
