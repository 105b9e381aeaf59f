// The default sink: the durable append-only log on disk (no other server needed). Dedupe state is
// the set of ids in the retained log, rebuilt from the log itself on open, so it survives kill -9.
import { openLogWriter, type LogWriterOptions } from '../log/writer.js';
import { SinkUnavailableError } from '../errors.js';
import { IdSet } from '../id-set.js';
import type { Sink, StoredEvent } from '../types.js';

export interface EmbeddedSinkOptions extends Omit<LogWriterOptions, 'onRecoveredLine' | 'onRetention'> {
  /** The data directory (FEEDPULSE_DATA); the log lives in `<dataDir>/log`. */
  dataDir: string;
}

export function createEmbeddedSink(options: EmbeddedSinkOptions): Sink {
  // Every id in the retained log with its offset; ids of segments deleted by retention expire, so
  // the index covers exactly the retained log and its memory follows the retention.
  const ids = new IdSet();
  let up = false;
  let endOffset = 0;
  const writerPromise = openLogWriter(options.dataDir, {
    ...options,
    onRecoveredLine: (line, offset) => {
      const id = idOfLine(line);
      if (id) ids.add(id, offset);
    },
    onRetention: (firstRetained) => ids.expireBefore(firstRetained),
  });
  const ready = writerPromise.then((writer) => {
    endOffset = writer.endOffset();
    up = true;
  });
  ready.catch(() => undefined); // reported through `ready` and write()

  return {
    kind: 'embedded',
    ready,
    isUp: () => up,
    has: (id) => ids.has(id),
    async write(events: StoredEvent[]) {
      const writer = await writerPromise;
      let firstOffset: number;
      try {
        firstOffset = await writer.append(events.map((event) => JSON.stringify(event)));
      } catch (err) {
        // The file-system error names the data folder's path: it goes to the log (sink_write_failed), not to clients.
        throw new SinkUnavailableError('the log could not be written (the collector\'s log says why: sink_write_failed)', 5, { cause: err });
      }
      events.forEach((event, i) => ids.add(event.id, firstOffset + i));
      endOffset = Math.max(endOffset, firstOffset + events.length);
      return { duplicateIds: [] };
    },
    stats: () => ({ log_end_offset: endOffset, dedupe_index_ids: ids.size, dedupe_index_bytes: ids.bytes }),
    async close() {
      up = false;
      const writer = await writerPromise.catch(() => undefined);
      await writer?.close();
    },
  };
}

const ID_PREFIX = Buffer.from('{"id":"');

/** The id of a stored line. Records are written with `id` first, so this rarely needs a full parse. */
export function idOfLine(line: Buffer): string | undefined {
  if (line.subarray(0, ID_PREFIX.length).equals(ID_PREFIX)) {
    const close = line.indexOf(0x22, ID_PREFIX.length);
    if (close > ID_PREFIX.length) {
      const id = line.toString('latin1', ID_PREFIX.length, close);
      if (!id.includes('\\')) return id;
    }
  }
  try {
    const record = JSON.parse(line.toString('utf8')) as { id?: unknown };
    return typeof record.id === 'string' ? record.id : undefined;
  } catch {
    return undefined;
  }
}
