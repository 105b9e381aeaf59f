// One writer per folder (the collector's log, its id journal, the embedded database): a pid file.
// A stale lock (its process is gone, e.g. after kill -9) is taken over.
// Writers that start at the same moment cannot both win: the lock file appears with its pid already
// in it (written to a private file, then hard-linked into place, which fails if a lock exists), and a
// stale lock is removed by one process at a time, only while it still holds the dead pid.
import { readFileSync } from 'node:fs';
import { link, open, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { sleep } from './sleep.js';

const heldHere = new Set<string>();

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A writer killed with -9 stays a zombie until its parent reaps it (a supervisor that has not
  // yet, a container without an init): signal 0 still reaches it, but it writes nothing. Linux
  // says so in /proc/<pid>/stat (state Z or X after the command name); elsewhere, alive.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ENOENT'; // gone meanwhile: dead; no /proc: alive
  }
};

/** The pid in a lock file; undefined when the file is gone, 0 when it holds no pid. */
const pidIn = (path: string): Promise<number | undefined> =>
  readFile(path, 'utf8').then(
    (text) => Number(text.trim()) || 0,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    },
  );

/** A live writer other than this process (a lock with our own pid is from an earlier life of this pid). */
const otherWriter = (pid: number | undefined): pid is number => !!pid && pid !== process.pid && isAlive(pid);

/** Creates `path` holding our pid, atomically; false when it exists. */
async function create(path: string, mine: string): Promise<boolean> {
  try {
    await link(mine, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
  }
  // A file system without hard links: exclusive create, then the pid (briefly empty).
  try {
    const handle = await open(path, 'wx');
    await handle.writeFile(String(process.pid));
    await handle.close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Removes the lock at `path` if it still holds `stalePid`, one process at a time (a `.takeover`
 *  gate created like the lock): checking and removing in two steps without the gate let a process
 *  that had read the stale pid remove the lock another process had just taken. False: gate busy. */
async function removeStale(path: string, mine: string, stalePid: number): Promise<boolean> {
  const gate = `${path}.takeover`;
  if (!(await create(gate, mine))) {
    // A gate left by a process killed inside it (a few microseconds' window) is cleared after a while.
    const age = await stat(gate).then((st) => Date.now() - st.mtimeMs, () => 0);
    if (age > 5000) await unlink(gate).catch(() => undefined);
    return false;
  }
  try {
    if ((await pidIn(path)) === stalePid) await unlink(path).catch(() => undefined);
  } finally {
    await unlink(gate).catch(() => undefined);
  }
  return true;
}

export interface LockOptions {
  /** The lock file's name in the folder. */
  file?: string;
  /** What the folder holds, for the errors ("the log in <dir>"). */
  subject?: string;
  /** Said after "is being written by process N", e.g. what to do instead. */
  hint?: string;
}

/** Locks `dir` for this process; answers the release. Rejects while another live process holds it. */
export async function acquireLock(dir: string, { file = 'writer.lock', subject = `the log in ${dir}`, hint = '' }: LockOptions = {}): Promise<() => Promise<void>> {
  const path = join(dir, file);
  // Reserved before the first await: two opens in this process must not race each other.
  if (heldHere.has(path)) throw new Error(`${subject} is already open for writing in this process`);
  heldHere.add(path);
  const mine = `${path}.${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(mine, String(process.pid));
    // Several processes may contend for a stale lock; each round either takes the lock, finds a live
    // writer, or waits a moment for the one removing the stale lock.
    for (let attempt = 0; attempt < 200; attempt++) {
      if (await create(path, mine)) {
        let held = true;
        // Once only: a second call must not remove a lock another process has taken since.
        return async () => {
          if (!held) return;
          held = false;
          heldHere.delete(path);
          await unlink(path).catch(() => undefined);
        };
      }
      const pid = await pidIn(path);
      if (pid === undefined) continue; // released meanwhile
      if (otherWriter(pid)) throw new Error(`${subject} is being written by process ${pid}${hint}`);
      // An empty lock is a writer between its create and its pid (file systems without hard
      // links) unless it has stayed empty for a while.
      if (pid === 0 && (await stat(path).then((st) => Date.now() - st.mtimeMs < 2000, () => false))) {
        await sleep(20);
        continue;
      }
      if (!(await removeStale(path, mine, pid))) await sleep(5 + Math.random() * 20);
    }
    throw new Error(`could not lock ${subject}`);
  } catch (err) {
    heldHere.delete(path);
    throw err;
  } finally {
    await unlink(mine).catch(() => undefined);
  }
}
