// A webhook slower than the alerts coming in (Slack answering 429, a receiver that hangs) must not
// let the notifier's queue grow with every alert: a flood of made-up one-star ratings would hold
// every alert (comment and all) in memory and then post each of them, also those the alert store
// has long dropped. The queue is bounded; what falls out is marked `failed`, with the reason.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createNotifier } from '../../src/consumer/alerts/notifier';
import type { Alert } from '../../src/consumer/alerts/evaluate';
import { openAlertStore } from '../../src/consumer/alerts/store';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

/** A receiver that holds every request until `release()`, then answers 200. */
async function heldReceiver() {
  const ids: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((r) => { release = r; });
  server = createServer(async (req, res) => {
    let body = '';
    for await (const c of req) body += c;
    ids.push(/event `([^`]+)`/.exec(body)?.[1] ?? '?');
    await released;
    res.writeHead(200).end('ok');
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/hook`, ids, release };
}

const alert = (i: number): Alert => ({
  id: `evt-${i}`, project: 'shop', anonymousId: `visitor-${i}`, at: Date.now(), severity: 'critical', path: '/checkout',
  rating: 1, scale: 'stars', comment: 'x'.repeat(100), matches: [{ rule: 'Lowest rating', type: 'rating', detail: 'rating 1 (stars) ≤ 1' }],
});

it('holds at most maxQueued alerts for a slow webhook and marks the ones it let go failed', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fp-webhook-queue-'));
  const store = await openAlertStore(join(dir, 'alerts.jsonl'), { keep: 100 });
  const { url, ids, release } = await heldReceiver();
  const notifier = createNotifier({ url, store, concurrency: 1, maxQueued: 10, retry: { baseDelayMs: 5 } });
  for (let i = 0; i < 30; i++) notifier.send((await store.add(alert(i), 'pending'))!);
  release();
  await notifier.idle();
  await store.flushed();
  // One in flight when the flood came, then the 10 newest; the 19 between were let go.
  expect(ids).toHaveLength(11);
  expect(ids.slice(1)).toEqual(Array.from({ length: 10 }, (_, k) => `evt-${20 + k}`));
  const states = store.list(30).map((r) => r.delivery);
  expect(states.filter((d) => d === 'delivered')).toHaveLength(11);
  const failed = store.list(30).filter((r) => r.delivery === 'failed');
  expect(failed).toHaveLength(19);
  expect(failed[0].error).toMatch(/10 newer alerts were waiting/);
  await notifier.close();
  await store.close();
  await rm(dir, { recursive: true });
});
