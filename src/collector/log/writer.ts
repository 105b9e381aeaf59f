// The writing side of the embedded log: append-only JSON-lines segments with group commit.
// Every append waits for one write + fdatasync that covers all appends queued meanwhile, so many
// concurrent requests share one fsync. Offsets are record numbers; segments are named by the
// offset of their first record, rotate by size and are deleted whole by retention.
import { mkdir, open, stat, unlink, type FileHandle } from 'node:fs/promises';
import { listSegments, logDirOf, segmentPath, type SegmentRef } from './segments.js';
import { scanLines } from './lines.js';
import { notifyLocalAppend } from './notify.js';
import { acquireLock } from '../../server/pid-lock.js';

export interface LogWriterOptions {
  /** Start a new segment once the active one reaches this size (default 64 MiB). */
  segmentBytes?: number;
  /** … or is this old (default 1 day), so retention by age also reaches quiet logs. */
  segmentMs?: number;
  /** Delete the oldest closed segments while all segments together exceed this (default 1 GiB). */
  retentionBytes?: number;
  /** Delete closed segments last written longer ago than this (default 7 days). */
  retentionMs?: number;
  /** fdatasync before an append resolves (default true; false only for benchmarks of the rest). */
  fsync?: boolean;
  /** Called for each record found on open (oldest first) with its raw line, e.g. to rebuild an index. */
  onRecoveredLine?: (line: Buffer, offset: number) => void;
  /** Called after retention deleted segments, with the offset of the oldest record still kept. */
  onRetention?: (firstRetainedOffset: number) => void;
}

export interface LogWriter {
  readonly dir: string;
  /** Appends records (one JSON text each, no newlines inside); resolves with the first one's offset once durable. */
  append(records: string[]): Promise<number>;
  endOffset(): number;
  close(): Promise<void>;
}

interface Pending {
  text: string;
  count: number;
  resolve: (firstOffset: number) => void;
  reject: (err: Error) => void;
}

const DEFAULTS = { segmentMs: 24 * 3600 * 1000, segmentBytes: 64 * 1024 * 1024, retentionBytes: 1024 * 1024 * 1024, retentionMs: 7 * 24 * 3600 * 1000 };

export async function openLogWriter(dataDir: string, options: LogWriterOptions = {}): Promise<LogWriter> {
  const logDir = logDirOf(dataDir);
  const segmentBytes = options.segmentBytes ?? DEFAULTS.segmentBytes;
  const segmentMs = options.segmentMs ?? DEFAULTS.segmentMs;
  const retentionBytes = options.retentionBytes ?? DEFAULTS.retentionBytes;
  const retentionMs = options.retentionMs ?? DEFAULTS.retentionMs;
  const fsync = options.fsync ?? true;

  await mkdir(logDir, { recursive: true });
  const releaseLock = await acquireLock(logDir);
  let segments: SegmentRef[];
  let active: { handle: FileHandle; baseOffset: number; size: number; createdMs: number };
  let end: number;
  try {
    segments = await listSegments(logDir);
    if (segments.length === 0) {
      segments = [{ baseOffset: 0, path: segmentPath(logDir, 0) }];
    }
    end = 0;
    for (let i = 0; i < segments.length; i++) {
      const isLast = i === segments.length - 1;
      end = await recoverSegment(segments[i]!, isLast, options.onRecoveredLine);
      if (!isLast && segments[i + 1]!.baseOffset !== end) end = segments[i + 1]!.baseOffset;
    }
    const last = segments[segments.length - 1]!;
    const handle = await open(last.path, 'a');
    const info = await handle.stat();
    active = { handle, baseOffset: last.baseOffset, size: info.size, createdMs: info.birthtimeMs || info.ctimeMs };
    await syncDir(logDir); // the segment file may be new
  } catch (err) {
    await releaseLock();
    throw err;
  }

  let queue: Pending[] = [];
  let flushing = false;
  let broken: Error | undefined;
  let closing: Promise<void> | undefined;
  let idle: (() => void) | undefined;

  async function rotateIfFull(): Promise<void> {
    const old = active.size > 0 && Date.now() - active.createdMs >= segmentMs;
    if (active.size < segmentBytes && !old) return;
    await active.handle.datasync();
    await active.handle.close();
    const path = segmentPath(logDir, end);
    const handle = await open(path, 'a');
    active = { handle, baseOffset: end, size: 0, createdMs: Date.now() };
    segments.push({ baseOffset: end, path });
    await syncDir(logDir);
    await applyRetention();
  }

  async function applyRetention(): Promise<void> {
    const closed = segments.slice(0, -1);
    const sizes = await Promise.all(closed.map((s) => stat(s.path).catch(() => undefined)));
    let total = active.size + sizes.reduce((sum, s) => sum + (s?.size ?? 0), 0);
    const now = Date.now();
    let drop = 0;
    while (drop < closed.length) {
      const info = sizes[drop];
      const tooOld = info ? now - info.mtimeMs > retentionMs : true;
      if (total <= retentionBytes && !tooOld) break;
      total -= info?.size ?? 0;
      await unlink(closed[drop]!.path).catch(() => undefined);
      drop++;
    }
    if (drop) {
      segments = segments.slice(drop);
      options.onRetention?.(segments[0]!.baseOffset);
    }
  }

  async function flushLoop(): Promise<void> {
    flushing = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      if (broken) {
        for (const p of batch) p.reject(broken);
        continue;
      }
      const sizeBefore = active.size;
      try {
        await rotateIfFull();
        const data = Buffer.from(batch.length === 1 ? batch[0]!.text : batch.map((p) => p.text).join(''), 'utf8');
        let written = 0;
        while (written < data.length) {
          const { bytesWritten } = await active.handle.write(data, written, data.length - written);
          written += bytesWritten;
        }
        if (fsync) await active.handle.datasync();
        active.size += data.length;
        for (const p of batch) {
          p.resolve(end);
          end += p.count;
        }
        notifyLocalAppend(logDir);
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        // Cut back whatever part of this group reached the file, so offsets stay aligned.
        try {
          await active.handle.truncate(sizeBefore);
          active.size = sizeBefore;
        } catch {
          broken = error;
        }
        for (const p of batch) p.reject(error);
      }
    }
    flushing = false;
    idle?.();
  }

  return {
    dir: logDir,
    append(records) {
      if (closing) return Promise.reject(new Error('the log is closed'));
      if (records.length === 0) return Promise.resolve(end);
      return new Promise<number>((resolve, reject) => {
        queue.push({ text: `${records.join('\n')}\n`, count: records.length, resolve, reject });
        if (!flushing) void flushLoop();
      });
    },
    endOffset: () => end,
    close() {
      closing ??= (async () => {
        if (flushing) await new Promise<void>((r) => (idle = r));
        await active.handle.datasync().catch(() => undefined);
        await active.handle.close();
        await releaseLock();
      })();
      return closing;
    },
  };
}

/**
 * Counts a segment's records and returns the offset after them. The last segment is repaired: bytes
 * after the last complete record (a line torn by a crash) are cut off.
 */
async function recoverSegment(segment: SegmentRef, isLast: boolean, onLine: LogWriterOptions['onRecoveredLine']): Promise<number> {
  const handle = await open(segment.path, isLast ? 'a+' : 'r');
  try {
    let offset = segment.baseOffset;
    let goodEnd = 0;
    await scanLines(handle, 0, (line, _start, lineEnd) => {
      if (isLast && !looksWhole(line)) return false; // garbage at the tail (e.g. zeros after a crash)
      onLine?.(line, offset);
      offset++;
      goodEnd = lineEnd;
      return true;
    });
    if (isLast) {
      const { size } = await handle.stat();
      if (size > goodEnd) {
        await handle.truncate(goodEnd);
        await handle.datasync();
      }
    }
    return offset;
  } finally {
    await handle.close();
  }
}

const looksWhole = (line: Buffer): boolean => line.length >= 2 && line[0] === 0x7b && line[line.length - 1] === 0x7d;

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on directories; the data files are still synced.
  } finally {
    await handle.close();
  }
}
