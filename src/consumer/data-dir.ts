// The data folder (FEEDPULSE_DATA) is checked once at start, so a folder that cannot be written
// stops the start with one message naming the setting, not with a bare EACCES from whichever part
// happened to write first.
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';

export async function ensureDataDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const error = new Error(`the data folder ${dir} (FEEDPULSE_DATA) is not a writable folder (${e.code ?? e.message}); set FEEDPULSE_DATA to one, e.g. FEEDPULSE_DATA=/tmp/feedpulse`, { cause: err });
    // A path that is a file (EEXIST, ENOTDIR) is the setting's fault: without a system code the
    // command exits 2, which a process manager does not restart. Permissions or a missing mount
    // keep their code (exit 1): they may be put right outside.
    throw e.code === 'EEXIST' || e.code === 'ENOTDIR' ? error : Object.assign(error, { code: e.code });
  }
}
