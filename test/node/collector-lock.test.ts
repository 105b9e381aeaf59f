// writer.lock: one writer per log, also when several start at the same moment — on a fresh data
// directory and on one whose lock was left by a process killed with -9 (a stale lock).
import { describe, it, expect, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { acquireLock } from '../../src/server/pid-lock.js';
import { buildCollector } from '../../bench/collector-build.mjs';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function logDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fp-lock-'));
  dirs.push(dir);
  await mkdir(join(dir, 'log'));
  return join(dir, 'log');
}

/** A pid no process has: one past the kernel's maximum. */
async function deadPid(): Promise<number> {
  const max = Number((await readFile('/proc/sys/kernel/pid_max', 'utf8').catch(() => '4194304')).trim());
  return max + 1;
}

describe('writer.lock', () => {
  it('lets only one of two concurrent opens in one process hold the lock', async () => {
    const dir = await logDir();
    const results = await Promise.allSettled([acquireLock(dir), acquireLock(dir)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const held = results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<() => Promise<void>>;
    expect((await readFile(join(dir, 'writer.lock'), 'utf8')).trim()).toBe(String(process.pid));
    await held.value();
    expect(await readdir(dir)).toEqual([]); // released, and no helper files left behind
  });

  it('takes over a stale lock (its process is gone) and one left empty, but never a live one', async () => {
    const dir = await logDir();
    await writeFile(join(dir, 'writer.lock'), String(await deadPid()));
    const release = await acquireLock(dir);
    expect((await readFile(join(dir, 'writer.lock'), 'utf8')).trim()).toBe(String(process.pid));
    await release();

    await writeFile(join(dir, 'writer.lock'), '');
    await (await acquireLock(dir))();

    await writeFile(join(dir, 'writer.lock'), String(process.ppid)); // alive, not us
    await expect(acquireLock(dir)).rejects.toThrow(`is being written by process ${process.ppid}`);
    expect((await readFile(join(dir, 'writer.lock'), 'utf8')).trim()).toBe(String(process.ppid));
  });

  it.skipIf(process.platform !== 'linux')('takes over a lock whose writer is a zombie (killed, not yet reaped by its parent)', async () => {
    const dir = await logDir();
    // sh starts a writer stand-in in the background, prints its pid and becomes `sleep 30`, which
    // never reaps it; killed with -9, the stand-in stays a zombie.
    const parent = spawn('sh', ['-c', 'sleep 30 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = Number(await new Promise<string>((resolve) => parent.stdout!.once('data', (d: Buffer) => resolve(d.toString()))));
      await new Promise((r) => setTimeout(r, 200)); // sh has exec'd by now
      process.kill(pid, 'SIGKILL');
      let state = '';
      for (let i = 0; i < 100 && state !== 'Z'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
        state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      }
      expect(state).toBe('Z');
      expect(() => process.kill(pid, 0)).not.toThrow(); // what made it look alive
      await writeFile(join(dir, 'writer.lock'), String(pid));
      const release = await acquireLock(dir);
      expect((await readFile(join(dir, 'writer.lock'), 'utf8')).trim()).toBe(String(process.pid));
      await release();
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('gives a stale lock to exactly one of several processes that start at the same moment', async () => {
    const index = await buildCollector();
    const lockModule = join(dirname(dirname(index)), 'server', 'pid-lock.js');
    // Each child waits for a common start time, tries the lock, reports, and stays alive (holding
    // the lock) until every child of the round has reported: a holder that exited early would leave
    // a stale lock that a child started late on a loaded machine could rightly take.
    const script = `
      const { acquireLock } = await import(${JSON.stringify(lockModule)});
      const [dir, at] = [process.argv[1], Number(process.argv[2])];
      while (Date.now() < at) {}
      try { await acquireLock(dir); console.log('HELD'); }
      catch (err) { console.log('REFUSED ' + err.message); }
      setInterval(() => {}, 1000);`;
    const children: ReturnType<typeof spawn>[] = [];
    const runChild = (dir: string, at: number) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir, String(at)], { stdio: ['ignore', 'pipe', 'inherit'] });
        children.push(child);
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.trim());
        });
        child.once('error', reject);
        child.once('exit', () => resolve(out.trim()));
      });
    const stale = String(await deadPid());
    const holders: number[] = [];
    for (let round = 0; round < 8; round++) {
      const dir = await logDir();
      if (round % 2 === 0) await writeFile(join(dir, 'writer.lock'), stale); // left by a kill -9
      const at = Date.now() + 1200; // after the children's start-up
      const outs = await Promise.all([runChild(dir, at), runChild(dir, at), runChild(dir, at)]);
      for (const child of children.splice(0)) child.kill('SIGKILL');
      holders.push(outs.filter((o) => o === 'HELD').length);
      for (const o of outs) expect(o).toMatch(/^(HELD|REFUSED the log in .* is being written by process \d+)$/);
    }
    expect(holders).toEqual(Array(8).fill(1));
  });
});
