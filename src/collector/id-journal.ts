// A bounded, durable index of event ids for the broker sinks (the broker cannot be asked "have you
// got this id?"). Two files of ids, one per line: `current` takes appends (group-written), and
// when it holds `capacity / 2` ids it becomes `previous` and the old `previous` is
// dropped. So the last `capacity / 2` … `capacity` ids are remembered, across kill -9.
// Ids are added only after the broker confirmed the events, so the index never decides whether an
// event is stored — only whether a retry is recognised as a duplicate. Durability, precisely:
// - every append is written before `add` resolves (page cache: survives kill -9 of the collector);
// - `sync: true`: each group is also fdatasync'd before `add` resolves (survives a power cut);
// - `sync: <ms>` (default 1000): an fdatasync runs in the background at most this long after an
//   append, off the 200 path, so a power cut forgets at most the ids of the last ~<ms>;
// - `sync: false`: fdatasync only at rotation and close.
// Rotation and close always fdatasync. An id forgotten by a power cut means a retried event is
// published again with the same message id (a duplicate the consumer drops), never a lost event.
import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { acquireLock } from '../server/pid-lock.js';
import { IdSet } from './id-set.js';
import { defaultLogger } from '../server/logger.js';

export interface IdJournal {
  has(id: string): boolean;
  /** Resolves once the ids are written (and fdatasync'd when `sync` is true). */
  add(ids: string[]): Promise<void>;
  size(): number;
  close(): Promise<void>;
}

/** `true`: fdatasync before `add` resolves; ms: in the background within that time; `false`: only at rotation/close. */
export type IdSync = boolean | number;

export async function openIdJournal(dir: string, capacity = 1_000_000, sync: IdSync = 1000): Promise<IdJournal> {
  dir = resolve(dir);
  await mkdir(dir, { recursive: true });
  const release = await acquireLock(dir);
  const currentPath = join(dir, 'ids-current.txt');
  const previousPath = join(dir, 'ids-previous.txt');
  const half = Math.max(1, Math.floor(capacity / 2));
  let previous = await loadIds(previousPath);
  let current = await loadIds(currentPath);
  let handle: FileHandle = await open(currentPath, 'a');
  // After a crash mid-write the file may end inside a line: end it, so the next id starts clean.
  const { size } = await handle.stat();
  if (size > 0) {
    const last = Buffer.alloc(1);
    const probe = await open(currentPath, 'r');
    await probe.read(last, 0, 1, size - 1);
    await probe.close();
    if (last[0] !== 0x0a) await handle.write('\n');
  }

  let queue: { ids: string[]; resolve: () => void; reject: (err: Error) => void }[] = [];
  let flushing = false;
  let idle: (() => void) | undefined;
  let syncTimer: NodeJS.Timeout | undefined;
  let syncing: Promise<void> = Promise.resolve();
  /** Appends since the last fdatasync. */
  let unsynced = false;

  const datasync = (): Promise<void> => {
    if (syncTimer) { clearTimeout(syncTimer); syncTimer = undefined; }
    if (!unsynced) return syncing;
    unsynced = false;
    const h = handle;
    syncing = syncing.then(() => h.datasync()).catch((err: Error) => {
      // The ids are still written; only their power-cut durability is unknown. Try again later.
      unsynced = true;
      defaultLogger({ level: 'error', msg: 'id_index_sync_failed', error: err.message });
    });
    return syncing;
  };
  const scheduleSync = () => {
    if (typeof sync !== 'number' || sync <= 0 || syncTimer) return;
    syncTimer = setTimeout(() => { syncTimer = undefined; void datasync(); }, sync);
    syncTimer.unref();
  };

  async function rotate(): Promise<void> {
    if (syncTimer) { clearTimeout(syncTimer); syncTimer = undefined; }
    await syncing;
    unsynced = false;
    await handle.datasync();
    await handle.close();
    await rename(currentPath, previousPath); // atomically replaces the old previous
    const dirHandle = await open(dir, 'r');
    await dirHandle.sync().catch(() => undefined);
    await dirHandle.close();
    previous = current;
    current = new IdSet();
    handle = await open(currentPath, 'a');
  }

  async function flush(): Promise<void> {
    flushing = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        if (current.size >= half) await rotate();
        const ids = batch.flatMap((b) => b.ids);
        await handle.write(`${ids.join('\n')}\n`);
        if (sync === true) await handle.datasync();
        else { unsynced = true; scheduleSync(); }
        for (const id of ids) current.add(id);
        for (const b of batch) b.resolve();
      } catch (err) {
        for (const b of batch) b.reject(err as Error);
      }
    }
    flushing = false;
    idle?.();
  }

  return {
    has: (id) => current.has(id) || previous.has(id),
    add(ids) {
      if (ids.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        queue.push({ ids, resolve, reject });
        if (!flushing) void flush();
      });
    },
    size: () => current.size + previous.size,
    async close() {
      if (flushing) await new Promise<void>((r) => (idle = r));
      // A clean stop leaves every id on disk, whatever `sync` says.
      await datasync();
      await handle.close().catch(() => undefined);
      await release();
    },
  };
}

async function loadIds(path: string): Promise<IdSet> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  const ids = new IdSet();
  // A torn last line (kill -9 mid-write) is just a shorter string that no real id will match.
  for (const line of text.split('\n')) if (line) ids.add(line);
  return ids;
}
