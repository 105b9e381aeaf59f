// The embedded sink's dedupe index: rebuilt from the log on open, and it forgets exactly the ids of
// segments that retention deleted (so its memory follows the retained log).
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSink, openLogReader, type StoredEvent } from '../../src/collector/index.js';
import { feedbackEvent } from '../helpers/events';

const dirs: string[] = [];
afterEach(async () => Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true }))));

const stored = (n: number): StoredEvent[] =>
  Array.from({ length: n }, () => ({ ...feedbackEvent('retention'), receivedAt: new Date().toISOString() }));

describe('embedded sink', () => {
  it('knows stored ids after reopening, and forgets those retention deleted', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-embedded-'));
    dirs.push(dataDir);
    const tuning = { segmentBytes: 16 * 1024, retentionBytes: 64 * 1024 };
    let sink = createSink('embedded', { dataDir, embedded: tuning });
    await sink.ready;
    const batches: StoredEvent[][] = [];
    for (let i = 0; i < 60; i++) {
      const batch = stored(10);
      batches.push(batch);
      await sink.write(batch);
    }
    const reader = openLogReader(dataDir);
    const [oldest] = await reader.read(0, 1);
    const kept = new Set((await reader.read(0, 10_000)).map((r) => r.event.id));
    expect(oldest!.offset).toBeGreaterThan(0); // retention did delete segments
    const all = batches.flat();
    const forgotten = all.filter((e) => !kept.has(e.id));
    expect(forgotten.length).toBeGreaterThan(0);
    expect(all.filter((e) => kept.has(e.id)).every((e) => sink.has(e.id))).toBe(true);
    expect(forgotten.some((e) => sink.has(e.id))).toBe(false);
    await sink.close();

    sink = createSink('embedded', { dataDir, embedded: tuning });
    await sink.ready;
    expect(all.filter((e) => kept.has(e.id)).every((e) => sink.has(e.id))).toBe(true);
    expect(forgotten.some((e) => sink.has(e.id))).toBe(false);
    await sink.close();
    await reader.close();
  });

  it('refuses to open a log another live writer holds', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-embedded-'));
    dirs.push(dataDir);
    const first = createSink('embedded', { dataDir });
    await first.ready;
    const second = createSink('embedded', { dataDir });
    await expect(second.ready).rejects.toThrow(/already open/);
    await first.close();
  });
});
