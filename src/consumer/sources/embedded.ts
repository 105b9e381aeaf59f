// Reads the collector's embedded log (FEEDPULSE_DATA/log) by offset, woken by its append watcher.
import { openLogReader } from '../../collector/index';
import type { ConsumerSource, Deliver } from './source';
import { defaultLogger, type Logger } from '../../server/logger';

export interface EmbeddedSourceOptions {
  dataDir: string;
  /** Records per batch (default 500). */
  batchSize?: number;
  log?: Logger;
}

export function embeddedSource({ dataDir, batchSize = 500, log = defaultLogger }: EmbeddedSourceOptions): ConsumerSource {
  const reader = openLogReader(dataDir);
  let position = 0;
  let stopped = false;
  let pumping: Promise<void> | undefined;
  let again = false;
  let unwatch: (() => void) | undefined;
  let poll: NodeJS.Timeout | undefined;
  let deliver: Deliver = async () => undefined;

  async function drain(): Promise<void> {
    do {
      again = false;
      while (!stopped) {
        const records = await reader.read(position, batchSize);
        if (!records.length || stopped) break;
        // Advance only past what the consumer handled: when a batch fails the next drain reads it
        // again (what was counted is an fp_seen duplicate), so nothing is lost.
        await deliver(records.map((r) => ({ event: r.event, position: r.offset + 1 })));
        position = records[records.length - 1].offset + 1;
      }
    } while (again && !stopped);
  }

  /** One drain at a time; an append during a drain makes it look once more. */
  const wake = () => {
    if (pumping) { again = true; return; }
    pumping = drain()
      .catch((err: Error) => log({ level: 'error', msg: 'log_read_failed', source: 'embedded', error: err.message }))
      .finally(() => { pumping = undefined; });
  };

  return {
    kind: 'embedded',
    id: 'embedded',
    description: `embedded log in ${dataDir}`,
    async start(from, onBatch) {
      position = from;
      deliver = onBatch;
      unwatch = reader.watch(wake);
      // A slow safety net in case a file-system notification is missed.
      poll = setInterval(wake, 2000);
      poll.unref();
      wake();
    },
    async stop() {
      stopped = true;
      unwatch?.();
      if (poll) clearInterval(poll);
      await pumping;
    },
    close: () => reader.close(),
  };
}
