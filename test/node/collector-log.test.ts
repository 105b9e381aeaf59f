// The embedded log: offsets, group commit, rotation, retention, torn tails, and the reader API the
// consumer relies on (read from an offset, endOffset, watch).
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtemp, rm, appendFile, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLogWriter } from '../../src/collector/log/writer.js';
import { openLogReader } from '../../src/collector/index.js';
import { listSegments, logDirOf } from '../../src/collector/log/segments.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fp-log-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const record = (i: number) => JSON.stringify({ id: `id-${String(i).padStart(6, '0')}`, n: i, pad: 'x'.repeat(i % 50) });

describe('embedded log', () => {
  it('assigns offsets from 0 and reads them back from any offset', async () => {
    const dir = await tempDir();
    const writer = await openLogWriter(dir);
    expect(await writer.append([record(0), record(1), record(2)])).toBe(0);
    expect(await writer.append([record(3)])).toBe(3);
    const reader = openLogReader(dir);
    expect(await reader.endOffset()).toBe(4);
    const all = await reader.read(0, 100);
    expect(all.map((r) => r.offset)).toEqual([0, 1, 2, 3]);
    expect((all[3]!.event as unknown as { n: number }).n).toBe(3);
    expect((await reader.read(2, 1)).map((r) => r.offset)).toEqual([2]);
    expect(await reader.read(4, 10)).toEqual([]);
    await reader.close();
    await writer.close();
  });

  it('group-commits concurrent appends into consecutive, non-overlapping offsets', async () => {
    const dir = await tempDir();
    const writer = await openLogWriter(dir);
    const firsts = await Promise.all(Array.from({ length: 200 }, (_, i) => writer.append([record(i * 2), record(i * 2 + 1)])));
    expect(new Set(firsts).size).toBe(200);
    expect(firsts.every((f) => f % 2 === 0)).toBe(true);
    const reader = openLogReader(dir);
    const all = await reader.read(0, 1000);
    expect(all).toHaveLength(400);
    for (let i = 0; i < 200; i++) {
      const first = all[firsts[i]!]!.event as unknown as { n: number };
      expect(first.n).toBe(i * 2);
    }
    await writer.close();
  });

  it('rotates segments by size, keeps offsets stable across them, and retention drops old ones', async () => {
    const dir = await tempDir();
    const writer = await openLogWriter(dir, { segmentBytes: 2000, retentionBytes: 8000 });
    for (let i = 0; i < 300; i += 10) await writer.append(Array.from({ length: 10 }, (_, k) => record(i + k)));
    const segments = await listSegments(logDirOf(dir));
    expect(segments.length).toBeGreaterThan(2);
    const reader = openLogReader(dir);
    expect(await reader.endOffset()).toBe(300);
    const first = segments[0]!.baseOffset;
    expect(first).toBeGreaterThan(0); // retention removed the oldest segments
    const fromStart = await reader.read(0, 5);
    expect(fromStart[0]!.offset).toBe(first);
    const tail = await reader.read(290, 100);
    expect(tail.map((r) => (r.event as unknown as { n: number }).n)).toEqual(Array.from({ length: 10 }, (_, k) => 290 + k));
    const across = await reader.read(first, 1000);
    expect(across.map((r) => r.offset)).toEqual(Array.from({ length: 300 - first }, (_, k) => first + k));
    await writer.close();
  });

  it('cuts a torn last line on open and keeps appending at the right offset', async () => {
    const dir = await tempDir();
    let writer = await openLogWriter(dir);
    await writer.append([record(0), record(1)]);
    await writer.close();
    const [segment] = await listSegments(logDirOf(dir));
    await appendFile(segment!.path, '{"id":"torn","n":');
    const reader = openLogReader(dir);
    expect(await reader.endOffset()).toBe(2); // the reader ignores an incomplete line
    const seen: string[] = [];
    writer = await openLogWriter(dir, { onRecoveredLine: (line) => seen.push(line.toString()) });
    expect(seen).toHaveLength(2);
    expect(await writer.append([record(2)])).toBe(2);
    expect((await reader.read(0, 10)).map((r) => (r.event as unknown as { n: number }).n)).toEqual([0, 1, 2]);
    expect(await readFile(segment!.path, 'utf8')).not.toContain('torn');
    await writer.close();
  });

  it('refuses a second writer on the same log', async () => {
    const dir = await tempDir();
    const writer = await openLogWriter(dir);
    await expect(openLogWriter(dir)).rejects.toThrow(/already open/);
    await writer.close();
    expect(await readdir(logDirOf(dir))).not.toContain('writer.lock');
  });

  it('watch() fires after appends (same process) and stops after unsubscribe', async () => {
    const dir = await tempDir();
    const reader = openLogReader(dir); // before the log exists
    expect(await reader.endOffset()).toBe(0);
    expect(await reader.read(0, 10)).toEqual([]);
    const writer = await openLogWriter(dir);
    let calls = 0;
    const appended = new Promise<void>((resolve) => {
      const stop = reader.watch(() => {
        calls++;
        stop();
        resolve();
      });
    });
    await writer.append([record(0)]);
    await appended;
    expect(calls).toBe(1);
    await reader.close();
    await writer.close();
  });
});

describe('embedded log rotation by age', () => {
  it('starts a new segment once the active one is older than segmentMs, so age retention reaches quiet logs', async () => {
    // Only lower bounds on elapsed time matter here, so a slow machine cannot make it flaky.
    const dir = await tempDir();
    let writer = await openLogWriter(dir, { segmentMs: 30, retentionMs: 1e9 });
    await writer.append([record(0)]);
    await new Promise((r) => setTimeout(r, 60));
    await writer.append([record(1)]); // the active segment is older than 30 ms: a new one at offset 1
    expect((await listSegments(logDirOf(dir))).map((s) => s.baseOffset)).toEqual([0, 1]);
    await writer.close();

    await new Promise((r) => setTimeout(r, 60));
    writer = await openLogWriter(dir, { segmentMs: 30, retentionMs: 40 });
    await writer.append([record(2)]); // rotates; both closed segments were last written > 40 ms ago
    expect((await listSegments(logDirOf(dir))).map((s) => s.baseOffset)).toEqual([2]);
    const reader = openLogReader(dir);
    expect((await reader.read(0, 10)).map((r) => r.offset)).toEqual([2]);
    await writer.close();
  });
});
