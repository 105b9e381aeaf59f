// A flood of one-star ratings cannot grow the alerts without limit, on both databases: alerts of
// projects beyond the project cap share one bucket (per-project counts and the project list stay
// at the cap), the oldest beyond the bound are counted, not kept, and a visitor's folded events
// are a count plus the newest 20 ids. A quiet project (simulated traffic) is never webhooked.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../src/consumer/alerts/default-rules';
import { createNotifier, type Notifier } from '../../src/consumer/alerts/notifier';
import { OTHER_PROJECTS } from '../../src/consumer/db/metrics';
import { startConsumer, type Consumer } from '../../src/consumer/consumer';
import { alertReader } from '../../src/consumer/db/alerts';
import type { Database } from '../../src/consumer/db/database';
import { DATABASES, type TestDatabase } from '../helpers/database';
import { ratingEvent, scriptedSource } from '../helpers/consumer';

describe.each(DATABASES)('bounded alerts ($name)', (kind) => {
  let test: TestDatabase | undefined;
  let db: Database | undefined;
  let consumer: Consumer | undefined;
  let notifier: Notifier | undefined;
  afterEach(async () => {
    await consumer?.stop(); await notifier?.close(); await db?.close(); await test?.cleanup();
    consumer = undefined; notifier = undefined; db = undefined; test = undefined;
  });

  async function setup(options: { keep?: number; maxProjects?: number; url?: string; quiet?: (p: string) => boolean } = {}) {
    test = await kind.create('boundedalerts');
    db = await test.open();
    const source = scriptedSource();
    notifier = createNotifier({ db, url: options.url, retry: { attempts: 1 } });
    consumer = await startConsumer({ source, db, rules: DEFAULT_RULES, notifier, maxProjects: options.maxProjects ?? 5, alertsKeep: options.keep, quietProject: options.quiet });
    return { source, reader: alertReader(db) };
  }

  it('a quiet project (simulated traffic) is never webhooked, also when its alerts share the bucket of projects beyond the cap', async () => {
    // A webhook nobody answers: an alert meant to be sent is not "off"; a quiet one is "off" at once.
    const { source, reader } = await setup({ url: 'http://127.0.0.1:9/hook', maxProjects: 1, quiet: (p) => p.startsWith('simulated-') });
    const [first, quiet, loud] = [ratingEvent('shop', 1), ratingEvent('simulated-shop', 1), ratingEvent('other', 1)];
    await source.push([first, quiet, loud].map((event) => ({ event })));
    const byId = new Map((await reader.list(10)).map((r) => [r.alert.id, r]));
    expect(byId.get(quiet.id)).toMatchObject({ delivery: 'off', alert: { project: OTHER_PROJECTS } });
    expect(byId.get(loud.id)?.alert.project).toBe(OTHER_PROJECTS);
    expect(byId.get(loud.id)?.delivery).not.toBe('off');
    expect(byId.get(first.id)?.alert.project).toBe('shop');
  });

  it('files alerts of projects beyond the cap under one bucket and keeps the newest N: counts exact, lists bounded', async () => {
    const { source, reader } = await setup({ keep: 20 });
    const t = Date.now() - 60_000;
    for (let round = 0; round < 4; round++) {
      const batch = Array.from({ length: 500 }, (_, i) => ratingEvent(`p${round}x${i}`, 1, { ts: t + round * 500 + i }));
      await source.push(batch.map((event) => ({ event })));
    }
    expect(await reader.count()).toBe(2000);
    expect((await reader.projects()).length).toBeLessThanOrEqual(6);
    expect(await reader.count(OTHER_PROJECTS)).toBe(1995);
    const [{ n }] = await db!.query<{ n: number }>('SELECT count(*) AS n FROM fp_alerts');
    expect(n).toBe(20); // each batch of 500 trims back to the bound
    await source.push([{ event: ratingEvent('p0x0', 1) }]);
    const [{ n: after }] = await db!.query<{ n: number }>('SELECT count(*) AS n FROM fp_alerts');
    expect(after).toBe(21); // trimmed again only past the bound plus a quarter (8)
    expect(await reader.count()).toBe(2001);
  });

  it('counts a visitor\'s folded events: one alert, a count, the newest 20 ids', async () => {
    const { source, reader } = await setup({ keep: 20 });
    const t = Date.now() - 60_000;
    const events = Array.from({ length: 3000 }, (_, i) => ({ ...ratingEvent('shop', 1, { ts: t + i }), anonymousId: 'one-angry-visitor' }));
    for (let i = 0; i < events.length; i += 500) await source.push(events.slice(i, i + 500).map((event) => ({ event })));
    const [record] = await reader.list(10);
    expect(await reader.count()).toBe(1);
    expect(record!.folded).toBe(2999);
    const [{ ids }] = await db!.query<{ ids: string[] }>('SELECT folded_ids AS ids FROM fp_alerts');
    expect(ids).toEqual(events.slice(-20).map((e) => e.id));
  });
});
