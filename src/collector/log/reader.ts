// The consumer side of the embedded log: read records by offset, learn the end, watch for appends.
// Works in another process than the writer: it only reads files and watches the directory.
import { open, stat } from 'node:fs/promises';
import { watch as watchDir, type FSWatcher } from 'node:fs';
import type { LogReader, LogRecord, StoredEvent } from '../types.js';
import { listSegments, logDirOf, type SegmentRef } from './segments.js';
import { scanLines } from './lines.js';
import { onLocalAppend } from './notify.js';
import { DEFAULT_DATA_DIR } from '../data-dir.js';

/** A byte position is remembered for every STRIDE-th record of a segment. */
const STRIDE = 256;
const POLL_MS = 1000;

interface SegmentMarks {
  /** marks[k] = byte position of record k * STRIDE within the segment. */
  marks: number[];
  /** Complete records counted so far, and the byte position just past them. */
  counted: number;
  countedBytes: number;
}

/**
 * Opens a reader on the log of a data directory (the collector's FEEDPULSE_DATA, default
 * `.feedpulse`). The directory may not exist yet: the reader then sees an empty log.
 */
export function openLogReader(dataDir: string = DEFAULT_DATA_DIR): LogReader {
  const logDir = logDirOf(dataDir);
  const marksBySegment = new Map<number, SegmentMarks>();
  const unwatchers = new Set<() => void>();
  let closed = false;

  const marksOf = (base: number): SegmentMarks => {
    let marks = marksBySegment.get(base);
    if (!marks) marksBySegment.set(base, (marks = { marks: [0], counted: 0, countedBytes: 0 }));
    return marks;
  };

  /** Scans a segment forward from what is known, remembering marks, until `untilRecord` or EOF. */
  async function countTo(segment: SegmentRef, untilRecord: number): Promise<SegmentMarks> {
    const known = marksOf(segment.baseOffset);
    if (known.counted >= untilRecord) return known;
    const handle = await open(segment.path, 'r').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined; // deleted by retention meanwhile
      throw err;
    });
    if (!handle) return known;
    try {
      await scanLines(handle, known.countedBytes, (_line, _start, end) => {
        known.counted++;
        known.countedBytes = end;
        if (known.counted % STRIDE === 0) known.marks[known.counted / STRIDE] = end;
        return known.counted < untilRecord;
      });
    } finally {
      await handle.close();
    }
    return known;
  }

  async function readSegment(segment: SegmentRef, fromRecord: number, max: number, out: LogRecord[]): Promise<void> {
    const known = marksOf(segment.baseOffset);
    const markIndex = Math.min(Math.floor(fromRecord / STRIDE), known.marks.length - 1);
    let record = markIndex * STRIDE;
    const handle = await open(segment.path, 'r').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (!handle) return;
    try {
      await scanLines(handle, known.marks[markIndex]!, (line, _start, end) => {
        if (record >= known.counted) {
          known.counted = record + 1;
          known.countedBytes = end;
        }
        record++;
        if (record % STRIDE === 0 && known.marks.length === record / STRIDE) known.marks.push(end);
        if (record - 1 < fromRecord) return true;
        const event = parseRecord(line);
        if (event) out.push({ offset: segment.baseOffset + record - 1, event });
        return out.length < max;
      });
    } finally {
      await handle.close();
    }
  }

  return {
    async read(fromOffset, max) {
      if (closed) throw new Error('log reader is closed');
      const out: LogRecord[] = [];
      if (!(max > 0)) return out;
      const segments = await listSegments(logDir);
      if (segments.length === 0) return out;
      let from = Math.max(Math.floor(fromOffset) || 0, segments[0]!.baseOffset);
      for (let i = 0; i < segments.length && out.length < max; i++) {
        const segment = segments[i]!;
        const next = segments[i + 1];
        if (next && next.baseOffset <= from) continue;
        const before = out.length;
        await readSegment(segment, from - segment.baseOffset, max, out);
        if (out.length === before && !next) break;
        from = next ? Math.max(from, next.baseOffset) : from;
      }
      return out;
    },

    async endOffset() {
      const segments = await listSegments(logDir);
      const last = segments[segments.length - 1];
      if (!last) return 0;
      const known = await countTo(last, Number.POSITIVE_INFINITY);
      return last.baseOffset + known.counted;
    },

    watch(onAppend) {
      let scheduled = false;
      const fire = () => {
        if (scheduled || closed) return;
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          if (!closed) onAppend();
        });
      };
      const stopLocal = onLocalAppend(logDir, fire);
      // Another process's appends: the directory watcher, with a slow poll as a safety net (and to
      // attach the watcher once the directory exists).
      let watcher: FSWatcher | undefined;
      let lastSignature = '';
      const attach = () => {
        if (watcher) return;
        try {
          watcher = watchDir(logDir, { persistent: false }, fire);
          watcher.on('error', () => {
            watcher?.close();
            watcher = undefined;
          });
        } catch {
          watcher = undefined; // not there yet
        }
      };
      const poll = async () => {
        attach();
        const segments = await listSegments(logDir).catch(() => []);
        const last = segments[segments.length - 1];
        const size = last ? await stat(last.path).then((s) => s.size, () => -1) : -1;
        const signature = `${segments.length}:${last?.baseOffset}:${size}`;
        if (lastSignature && signature !== lastSignature) fire();
        lastSignature = signature;
      };
      void poll();
      const timer = setInterval(() => void poll(), POLL_MS);
      timer.unref();
      const stop = () => {
        clearInterval(timer);
        watcher?.close();
        stopLocal();
        unwatchers.delete(stop);
      };
      unwatchers.add(stop);
      return stop;
    },

    async close() {
      closed = true;
      for (const stop of [...unwatchers]) stop();
      marksBySegment.clear();
    },
  };
}

function parseRecord(line: Buffer): StoredEvent | undefined {
  try {
    const value: unknown = JSON.parse(line.toString('utf8'));
    return value && typeof value === 'object' ? (value as StoredEvent) : undefined;
  } catch {
    return undefined; // a damaged record keeps its offset but yields nothing
  }
}
