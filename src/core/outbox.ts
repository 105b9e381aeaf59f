// The durable queue: an idb-keyval custom store (database `feedpulse`, store `outbox`) shared by
// every tab of the origin. Events are written in batches off the caller's path (one transaction per microtask
// turn); `add` resolves once the event is stored. Where IndexedDB cannot open, or a write fails
// (QuotaExceededError), events live in memory for this page instead, with one warning.
import { createStore, promisifyRequest as done } from 'idb-keyval';
import type { FeedpulseEvent } from './types';

// `_` names: the bundle's minifier shortens them (properties starting with `_` are mangled).
export interface Outbox {
  /** Stores the event with the next batched write; resolves once it is stored. */
  _add(event: FeedpulseEvent): Promise<void>;
  /** This project's stored events, oldest first, after every write queued so far. */
  _all(): Promise<FeedpulseEvent[]>;
  _del(ids: string[]): Promise<void>;
  /** True once any event had to be kept in memory. */
  _memory?: boolean;
}

/** A stored record, keyed by the event's id: [order, event]. `order` sorts by time, then by order
 *  of creation on this page (many events share a millisecond), so every page reads the outbox
 *  back oldest first; the id as key lets any tab delete by id alone. */
type Stored = [string, FeedpulseEvent];

export function openOutbox(project: string, warn: (msg: string) => void, storeName = 'outbox'): Outbox {
  let idb: ReturnType<typeof createStore> | undefined = createStore('feedpulse', storeName);
  let seq = 0;
  const mem = new Map<string, Stored>(); // id → record, where IndexedDB failed
  let buffer: Stored[] = [];
  let next: Promise<void> | undefined; // the write that will take the buffer
  let last: Promise<unknown> = Promise.resolve(); // the newest write
  const fail = (err: unknown) => {
    const name = (err as Error)?.name;
    // Only a full disk leaves the database usable for reading and deleting.
    if (name !== 'QuotaExceededError') idb = undefined;
    if (!out._memory) warn(`feedpulse: IndexedDB ${name || err}; events kept in memory`);
    out._memory = true;
  };
  // One transaction; a synchronous throw (no indexedDB at all) becomes a rejection.
  const tx = <T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T> | IDBTransaction) =>
    new Promise<T>((resolve) => resolve(idb!(mode, (s) => done(op(s) as IDBRequest<T>))));

  const write = () => {
    const list = buffer;
    buffer = [];
    next = undefined;
    return tx('readwrite', (s) => {
      for (const r of list) s.put(r, r[1].id);
      return s.transaction;
    }).catch((err) => {
      fail(err);
      for (const r of list) mem.set(r[1].id, r);
    });
  };

  const out: Outbox = {
    _add(event) {
      buffer.push([event.ts + (1e9 + seq++), event]);
      return next || (next = last = last.then(write) as Promise<void>);
    },
    async _all() {
      await last;
      let list = [...mem.values()];
      try {
        if (idb) list = list.concat(await tx<Stored[]>('readonly', (s) => s.getAll()));
      } catch (err) {
        fail(err);
      }
      return list.filter((r) => r[1]?.project === project).sort((a, b) => (a[0] < b[0] ? -1 : 1)).map((r) => r[1]);
    },
    async _del(ids) {
      for (const id of ids) mem.delete(id);
      // A failed delete means a resend later; the collector dedupes by id.
      if (idb && ids[0]) await tx('readwrite', (s) => {
        for (const id of ids) s.delete(id);
        return s.transaction;
      }).catch(fail);
    },
  };
  return out;
}
