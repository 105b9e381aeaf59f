// The broker sinks' id index: what it remembers across reopen and rotation, and when it fdatasyncs
// (before add resolves with sync:true, in the background within the interval by default, always on
// close) — observed by counting FileHandle#datasync calls.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openIdJournal } from '../../src/collector/id-journal.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fp-idj-'));
  dirs.push(dir);
  return dir;
}
/** Counts fdatasync calls made through any FileHandle. */
async function spyDatasync() {
  const probe = await open(join(await tempDir(), 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
  await probe.close();
  return vi.spyOn(proto, 'datasync');
}

afterEach(async () => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('id journal', () => {
  it('remembers ids across a reopen, and the last capacity/2…capacity across rotations', async () => {
    const dir = await tempDir();
    const journal = await openIdJournal(dir, 10, false);
    const ids = Array.from({ length: 23 }, (_, i) => `id-${String(i).padStart(6, '0')}`);
    for (const id of ids) await journal.add([id]);
    await journal.close();
    const reopened = await openIdJournal(dir, 10, false);
    const held = ids.filter((id) => reopened.has(id));
    // 23 ids, rotating every 5: the previous file holds 15–19, the current one 20–22.
    expect(held).toEqual(ids.slice(15));
    expect(reopened.has('id-999999')).toBe(false);
    await reopened.close();
  });

  it('sync: true fdatasyncs before add resolves', async () => {
    const journal = await openIdJournal(await tempDir(), 100, true);
    const datasync = await spyDatasync();
    await journal.add(['aaaaaaaa1']);
    expect(datasync).toHaveBeenCalledTimes(1);
    await journal.close();
  });

  it('by default fdatasyncs in the background within the interval, not before add resolves', async () => {
    const journal = await openIdJournal(await tempDir(), 100, 200);
    const datasync = await spyDatasync();
    await journal.add(['aaaaaaaa1']);
    await journal.add(['aaaaaaaa2']);
    expect(datasync).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(datasync).toHaveBeenCalledTimes(1), { timeout: 2000 });
    // Nothing new written: no further syncs.
    await new Promise((r) => setTimeout(r, 400));
    expect(datasync).toHaveBeenCalledTimes(1);
    await journal.close();
  });

  it('close fdatasyncs what was written, even with sync: false', async () => {
    const journal = await openIdJournal(await tempDir(), 100, false);
    const datasync = await spyDatasync();
    await journal.add(['aaaaaaaa1']);
    expect(datasync).not.toHaveBeenCalled();
    await journal.close();
    expect(datasync).toHaveBeenCalledTimes(1);
  });
});
