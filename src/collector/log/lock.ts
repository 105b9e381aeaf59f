// One writer per log: a pid file. A stale lock (its process is gone, e.g. after kill -9) is taken over.
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const heldHere = new Set<string>();

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export async function acquireLock(logDir: string): Promise<() => Promise<void>> {
  const path = join(logDir, 'writer.lock');
  if (heldHere.has(path)) throw new Error(`the log in ${logDir} is already open for writing in this process`);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      heldHere.add(path);
      return async () => {
        heldHere.delete(path);
        await unlink(path).catch(() => undefined);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new Error(`the log in ${logDir} is being written by process ${pid}`);
      }
      await unlink(path).catch(() => undefined); // stale: its writer died
    }
  }
  throw new Error(`could not lock the log in ${logDir}`);
}
