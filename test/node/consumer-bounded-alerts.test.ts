// A flood of one-star ratings cannot grow the alert store or the dashboard view without limit:
// alerts of projects beyond the project cap share one bucket (the alert log's per-project counts
// and the view's project list stay at the cap), a visitor's folded events are a count (the alert
// log shrinks back to one line per alert once a checkpoint covers them), and a batch's alerts are
// written with one fdatasync, not one per alert.
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_RULES } from '../../src/consumer/alerts/default-rules';
import { createNotifier } from '../../src/consumer/alerts/notifier';
import { openAlertStore, type AlertStore } from '../../src/consumer/alerts/store';
import { OTHER_PROJECTS } from '../../src/consumer/analysis/projects';
import { startConsumer } from '../../src/consumer/consumer';
import { buildView } from '../../src/consumer/dashboard/view';
import { feedbackEvent, scriptedSource } from './consumer-fixtures';

describe('bounded alert store and view', () => {
  let dir = '';
  let store: AlertStore | undefined;
  afterEach(async () => { vi.restoreAllMocks(); await store?.close(); store = undefined; if (dir) await rm(dir, { recursive: true, force: true }); });

  async function setup(keep: number) {
    dir = await mkdtemp(join(tmpdir(), 'fp-bounded-'));
    const file = join(dir, 'alerts.jsonl');
    store = await openAlertStore(file, { keep });
    const source = scriptedSource();
    const consumer = await startConsumer({ source, dir, rules: DEFAULT_RULES, alerts: store, notifier: createNotifier({ store }), maxProjects: 5 });
    return { file, source, consumer };
  }

  it('a quiet project (simulated traffic) is never webhooked, also when its alerts share the bucket of projects beyond the cap', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fp-bounded-'));
    store = await openAlertStore(join(dir, 'alerts.jsonl'));
    const source = scriptedSource();
    // A webhook nobody answers: an alert meant to be sent stays pending; a quiet one is "off" at once.
    const notifier = createNotifier({ store, url: 'http://127.0.0.1:9/hook', retry: { attempts: 1 } });
    const consumer = await startConsumer({ source, dir, rules: DEFAULT_RULES, alerts: store, notifier, maxProjects: 1, quietProject: (p) => p.startsWith('simulated-') });
    const [first, quiet, loud] = [feedbackEvent('shop', 1), feedbackEvent('simulated-shop', 1), feedbackEvent('other', 1)];
    await source.push([first, quiet, loud].map((event) => ({ event })));
    await store.flushed();
    const byId = new Map(store.list(10).map((r) => [r.alert.id, r]));
    expect(byId.get(quiet.id)).toMatchObject({ delivery: 'off', alert: { project: OTHER_PROJECTS } });
    expect(byId.get(loud.id)?.alert.project).toBe(OTHER_PROJECTS);
    expect(byId.get(loud.id)?.delivery).not.toBe('off');
    await consumer.stop();
    await notifier.close();
  });

  it('files alerts of projects beyond the cap under one bucket: per-project counts and the project list stay bounded, also after a restart', async () => {
    const { file, source, consumer } = await setup(20);
    const t = Date.now() - 60_000;
    for (let round = 0; round < 4; round++) {
      const batch = Array.from({ length: 500 }, (_, i) => feedbackEvent(`p${round}x${i}`, 1, { ts: t + round * 500 + i }));
      await source.push(batch.map((event) => ({ event })));
      await consumer.checkpoint();
    }
    await store!.flushed();
    expect(store!.count()).toBe(2000);
    expect(store!.projects().length).toBeLessThanOrEqual(6);
    expect(store!.count(OTHER_PROJECTS)).toBe(1995);
    const view = () => buildView({ analysis: consumer.analysis, projects: consumer.projects, alerts: store!, source: 's', processed: consumer.processed(), rate: () => 0, webhook: false, simulation: { running: false, sent: 0, total: 0 } });
    expect(view().projects).toHaveLength(5);
    expect(view().alertCount).toBe(2000);
    await consumer.stop();
    await store!.close();
    const meta = JSON.parse((await readFile(file, 'utf8')).split('\n')[0]) as { kind: string; droppedByProject: Record<string, number> };
    expect(meta.kind).toBe('meta');
    expect(Object.keys(meta.droppedByProject).length).toBeLessThanOrEqual(6);
    store = await openAlertStore(file, { keep: 20 });
    expect(store.count()).toBe(2000);
    expect(store.projects().length).toBeLessThanOrEqual(6);
    expect(JSON.stringify(view()).length).toBeLessThan(40_000);
  });

  it('counts a visitor\'s folded events instead of listing them: the alert log returns to one line per alert', async () => {
    const { file, source, consumer } = await setup(20);
    const t = Date.now() - 60_000;
    const visitor = 'one-angry-visitor';
    const events = Array.from({ length: 3000 }, (_, i) => ({ ...feedbackEvent('shop', 1, { ts: t + i }), anonymousId: visitor }));
    for (let i = 0; i < events.length; i += 500) {
      await source.push(events.slice(i, i + 500).map((event) => ({ event })));
      await consumer.checkpoint();
    }
    await consumer.checkpoint();
    await store!.flushed();
    const [record] = store!.list(10);
    expect(store!.count()).toBe(1);
    expect(record!.folded).toBe(2999);
    await consumer.stop();
    await store!.close();
    const text = await readFile(file, 'utf8');
    expect(text.length).toBeLessThan(4_000);
    store = await openAlertStore(file, { keep: 20 });
    expect(store.list(1)[0]!.folded).toBe(2999);
  });

  it('keeps the ids of folds no checkpoint covers yet, so a replay after a crash does not count them twice', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fp-bounded-'));
    const file = join(dir, 'alerts.jsonl');
    store = await openAlertStore(file, { keep: 20 });
    const first = feedbackEvent('shop', 1);
    const record = (await store.add({ id: first.id, project: 'shop', anonymousId: 'v', at: Date.now(), severity: 'critical', matches: [], path: '/' }, 'off'))!;
    await store.fold(record, 'later-event-1');
    await store.fold(record, 'later-event-1');
    await store.close();
    store = await openAlertStore(file, { keep: 20 });
    expect(store.has('later-event-1')).toBe(true);
    await store.fold(store.list(1)[0]!, 'later-event-1');
    expect(store.list(1)[0]!.folded).toBe(1);
  });

  it('writes the alerts of one batch with one fdatasync, not one per alert', async () => {
    const { source, consumer } = await setup(1000);
    // Count the real datasync calls of every file handle (the call still goes to disk).
    const probe = await open(join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { datasync(): Promise<void> };
    await probe.close();
    const datasync = vi.spyOn(proto, 'datasync');
    const batch = Array.from({ length: 500 }, (_, i) => feedbackEvent(`shop`, 1, { ts: Date.now() - 10_000 + i }));
    await source.push(batch.map((event) => ({ event })));
    await store!.flushed();
    expect(store!.count()).toBe(500);
    expect(datasync.mock.calls.length).toBeLessThanOrEqual(2);
    await consumer.stop();
  });
});
