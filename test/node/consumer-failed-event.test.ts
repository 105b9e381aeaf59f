// One event whose analysis throws costs only itself: the rest of its batch is counted and alerted,
// it is counted as failed and logged (JSON, with its id), its position and ack advance like any
// other, and the checkpoint covers the whole batch. The failing event is made with a throwing
// getter: a stand-in for whatever input a future analysis step might not expect.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_RULES } from '../../src/consumer/alerts/default-rules';
import { createNotifier } from '../../src/consumer/alerts/notifier';
import { openAlertStore, type AlertStore } from '../../src/consumer/alerts/store';
import { startConsumer } from '../../src/consumer/consumer';
import { consumerMetrics } from '../../src/consumer/metrics';
import type { ConsumedEvent } from '../../src/consumer/types';
import { feedbackEvent, scriptedSource } from './consumer-fixtures';

describe('an event that fails analysis', () => {
  let dir = '';
  let store: AlertStore | undefined;
  afterEach(async () => { vi.restoreAllMocks(); await store?.close(); store = undefined; if (dir) await rm(dir, { recursive: true, force: true }); });

  it('is skipped, counted and logged with its id; the rest of its batch is counted and alerted, positions and acks advance', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fp-failed-'));
    store = await openAlertStore(join(dir, 'alerts.jsonl'));
    const source = scriptedSource();
    const consumer = await startConsumer({ source, dir, rules: DEFAULT_RULES, alerts: store, notifier: createNotifier({ store }) });
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => { errors.push(String(line)); });

    const bad = feedbackEvent('p', 1) as ConsumedEvent;
    Object.defineProperty(bad, 'data', { get() { throw new Error('unexpected input'); } });
    const before = [feedbackEvent('p', 1), feedbackEvent('p', 4)];
    const after = [feedbackEvent('p', 1), feedbackEvent('p', 5)];
    const acked: string[] = [];
    const batch = [...before, bad, ...after].map((event, i) => ({ event, position: i + 1, ack: () => { acked.push(event.id); } }));
    await source.push(batch);
    await consumer.checkpoint();

    expect(consumer.processed()).toBe(4);
    expect(consumer.failed()).toBe(1);
    expect(consumer.analysis.ratings.stars!.count).toBe(4);
    expect(store.list(10).map((r) => r.alert.id).sort()).toEqual([before[0].id, after[0].id].sort());
    expect(consumer.position()).toBe(5);
    expect(acked).toHaveLength(5);
    const logged = errors.map((l) => { try { return JSON.parse(l) as { id?: string; error?: string }; } catch { return {}; } }).find((l) => l.id === bad.id);
    expect(logged?.error).toBe('unexpected input');
    const saved = JSON.parse(await readFile(join(dir, 'scripted.checkpoint.json'), 'utf8')) as { position: number; seenIds: string[] };
    expect(saved.position).toBe(5);
    // Remembered as handled: a redelivery of it is a duplicate, not a second failure.
    expect(saved.seenIds).toContain(bad.id);
    // …and counted where monitoring looks: the demo server appends these lines to /metrics.
    expect(consumerMetrics(consumer)).toContain('feedpulse_consumer_events_total{outcome="failed"} 1\n');
    expect(consumerMetrics(consumer)).toContain('feedpulse_consumer_events_total{outcome="counted"} 4\n');
    await consumer.stop();
  });
});
