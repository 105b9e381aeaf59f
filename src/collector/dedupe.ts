// Dedupe by event id in front of the sink. An id is a duplicate when it appears earlier in the same
// batch, when the sink already holds it durably, or when another request is storing it right now —
// then this request waits for that write, so a duplicate is only answered once the first copy is
// stored (if that write fails, this request fails too: never a 200 for an unstored event).
import type { Sink, SinkTarget, StoredEvent } from './types.js';
import { SinkUnavailableError } from './errors.js';

export interface StoreOutcome {
  accepted: number;
  duplicates: number;
  /** Seconds the sink write took (undefined when nothing was written). */
  sinkSeconds?: number;
}

export function createDeduper(sink: Sink, timeoutMs: number) {
  const inFlight = new Map<string, Promise<void>>();

  return async function store(events: StoredEvent[], target?: SinkTarget): Promise<StoreOutcome> {
    const fresh: StoredEvent[] = [];
    const waits: Promise<void>[] = [];
    const seen = new Set<string>();
    let duplicates = 0;
    for (const event of events) {
      if (seen.has(event.id)) {
        duplicates++;
        continue;
      }
      seen.add(event.id);
      const pending = inFlight.get(event.id);
      if (pending) {
        duplicates++;
        waits.push(pending);
      } else if (sink.has(event.id)) {
        duplicates++;
      } else {
        fresh.push(event);
      }
    }

    let accepted = 0;
    let sinkSeconds: number | undefined;
    if (fresh.length > 0) {
      const started = performance.now();
      const write = sink.write(fresh, target);
      const settled = write.then(() => undefined);
      settled.catch(() => undefined); // waiters handle it; no unhandled rejection
      for (const event of fresh) inFlight.set(event.id, settled);
      // The entries stay until the write itself settles (not the timeout): a retry that arrives
      // while a slow write is still going waits for it instead of writing a second copy.
      const cleanup = () => {
        for (const event of fresh) if (inFlight.get(event.id) === settled) inFlight.delete(event.id);
      };
      settled.then(cleanup, cleanup);
      const result = await withTimeout(write, timeoutMs);
      sinkSeconds = (performance.now() - started) / 1000;
      duplicates += result.duplicateIds.length;
      accepted = fresh.length - result.duplicateIds.length;
    }
    if (waits.length > 0) await withTimeout(Promise.all(waits), timeoutMs);
    return { accepted, duplicates, sinkSeconds };
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new SinkUnavailableError(`the sink did not confirm within ${ms} ms`, 2)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
