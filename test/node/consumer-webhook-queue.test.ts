// A webhook slower than the alerts coming in (Slack answering 429, a receiver that hangs) must not
// let the notifier's queue grow with every alert: a flood of made-up one-star ratings would hold
// every alert (comment and all) in memory and then post each of them. The queue is bounded; what
// falls out is marked `failed` in the database, with the reason.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { createNotifier } from '../../src/consumer/alerts/notifier';
import type { Alert } from '../../src/consumer/alerts/evaluate';
import { alertReader, fileAlerts } from '../../src/consumer/db/alerts';
import { DATABASES } from '../helpers/database';

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
  const test = await DATABASES[0]!.create('webhookqueue');
  const db = await test.open();
  try {
    const { url, ids, release } = await heldReceiver();
    const notifier = createNotifier({ url, db, concurrency: 1, maxQueued: 10, retry: { baseDelayMs: 5 } });
    for (let i = 0; i < 30; i++) {
      const { records: [record] } = await db.transaction((tx) => fileAlerts(tx, [alert(i)], {
        sameVisitorMinutes: 0, keep: 100, delivery: () => 'pending', claim: { owner: notifier.owner, leaseMs: notifier.leaseMs },
      }));
      notifier.send(record!);
    }
    release();
    await notifier.idle();
    // One in flight when the flood came, then the 10 newest; the 19 between were let go.
    expect(ids).toHaveLength(11);
    expect(ids.slice(1)).toEqual(Array.from({ length: 10 }, (_, k) => `evt-${20 + k}`));
    const list = await alertReader(db).list(30);
    expect(list.filter((r) => r.delivery === 'delivered')).toHaveLength(11);
    const failed = list.filter((r) => r.delivery === 'failed');
    expect(failed).toHaveLength(19);
    expect(failed[0]!.error).toMatch(/10 newer alerts were waiting/);
    await notifier.close();
  } finally {
    await db.close();
    await test.cleanup();
  }
});
