// One writer per log: a pid file. A stale lock (its process is gone, e.g. after kill -9) is taken over.
// Both steps are atomic, so writers that start at the same moment cannot both win: the lock file
// appears with its pid already in it (written to a private file, then hard-linked into place, which
// fails if a lock exists), and a stale lock is moved aside by rename, which only one process can do
// to a given file; whoever finds it moved a live lock instead puts it back.
import { readFileSync } from 'node:fs';
import { link, open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

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

export async function acquireLock(logDir: string): Promise<() => Promise<void>> {
  const path = join(logDir, 'writer.lock');
  // Reserved before the first await: two opens in this process must not race each other.
  if (heldHere.has(path)) throw new Error(`the log in ${logDir} is already open for writing in this process`);
  heldHere.add(path);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const mine = `${path}.${tag}`;
  try {
    await writeFile(mine, String(process.pid));
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await create(path, mine)) {
        return async () => {
          heldHere.delete(path);
          await unlink(path).catch(() => undefined);
        };
      }
      const pid = await pidIn(path);
      if (pid === undefined) continue; // released meanwhile
      if (otherWriter(pid)) throw new Error(`the log in ${logDir} is being written by process ${pid}`);
      // Stale: move it aside. Only one process can move this file; the others find it gone.
      const aside = `${path}.stale-${tag}`;
      try {
        await rename(path, aside);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      const moved = await pidIn(aside);
      if (otherWriter(moved)) {
        // Between our read and the rename another process took the stale lock: give it back.
        await link(aside, path).catch(() => undefined);
        await unlink(aside).catch(() => undefined);
        throw new Error(`the log in ${logDir} is being written by process ${moved}`);
      }
      await unlink(aside).catch(() => undefined);
    }
    throw new Error(`could not lock the log in ${logDir}`);
  } catch (err) {
    heldHere.delete(path);
    throw err;
  } finally {
    await unlink(mine).catch(() => undefined);
  }
}
