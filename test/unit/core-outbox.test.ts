// The IndexedDB outbox (fake-indexeddb): batched writes, reads, deletes, project isolation, and
// the memory fallback when IndexedDB cannot open or the disk is full.
import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { openOutbox } from '../../src/core/outbox';
import type { FeedpulseEvent } from '../../src/core/types';

let n = 0;
const event = (over: Partial<FeedpulseEvent> = {}): FeedpulseEvent => ({
  id: `id-${++n}`, type: 'track', ts: new Date(Date.UTC(2026, 10, 25, 10, 0, 0, n)).toISOString(), project: 'p',
  anonymousId: 'a', sessionId: 's', page: { url: 'https://x.test/', path: '/' }, data: { name: `e${n}` },
  ...over,
} as FeedpulseEvent);

/** Every event in the feedpulse/outbox store, read through a separate connection (records are
 *  [order, event] keyed by the event's id). */
async function rawRecords(): Promise<FeedpulseEvent[]> {
  const db = await new Promise<IDBDatabase>((res, rej) => {
    const r = indexedDB.open('feedpulse');
    r.onsuccess = () => res(r.result);
    r.onerror = () => rej(r.error);
  });
  const all = await new Promise<FeedpulseEvent[]>((res) => {
    const r = db.transaction('outbox').objectStore('outbox').getAll();
    r.onsuccess = () => res(r.result.map((rec: [string, FeedpulseEvent]) => rec[1]));
  });
  db.close();
  return all;
}

describe('outbox', () => {
  let warn: ReturnType<typeof vi.fn<(msg: string) => void>>;
  beforeEach(() => {
    globalThis.indexedDB = new IDBFactory(); // a fresh, empty database per test
    warn = vi.fn<(msg: string) => void>();
  });
  afterEach(() => vi.restoreAllMocks());

  it('stores events in database feedpulse, store outbox; add resolves once stored', async () => {
    const box = openOutbox('p', warn);
    const e = event();
    await box._add(e);
    expect(await rawRecords()).toEqual([e]);
    expect(warn).not.toHaveBeenCalled();
    expect(box._memory).toBeFalsy();
  });

  it('writes all adds of one turn in a single transaction and resolves them together', async () => {
    const box = openOutbox('p', warn);
    await box._all(); // open the database first
    const spy = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const events = Array.from({ length: 100 }, () => event());
    const promises = events.map((e) => box._add(e));
    expect(new Set(promises).size).toBe(1); // one shared promise: nothing allocated per call
    await Promise.all(promises);
    expect(spy.mock.calls.filter((c) => c[1] === 'readwrite')).toHaveLength(1);
    expect(await rawRecords()).toHaveLength(100);
  });

  it('all() returns only this project, oldest first, including writes still queued', async () => {
    const box = openOutbox('p', warn);
    const other = openOutbox('other', warn);
    const late = event({ ts: '2026-11-25T12:00:00.000Z' });
    const early = event({ ts: '2026-11-25T08:00:00.000Z' });
    await other._add(event({ project: 'other' }));
    box._add(late);
    box._add(early); // not awaited: all() waits for queued writes
    expect((await box._all()).map((e) => e.id)).toEqual([early.id, late.id]);
    expect(await other._all()).toHaveLength(1);
  });

  it('reads events of one millisecond back in the order they were made', async () => {
    const box = openOutbox('p', warn);
    const same = Array.from({ length: 50 }, () => event({ ts: '2026-11-25T09:00:00.000Z' }));
    same.forEach((e) => box._add(e));
    expect((await box._all()).map((e) => e.id)).toEqual(same.map((e) => e.id));
    // and so does another page (a reload), which only has the stored keys
    expect((await openOutbox('p', warn)._all()).map((e) => e.id)).toEqual(same.map((e) => e.id));
  });

  it('deletes events it did not write itself (another tab\'s) by id after reading them', async () => {
    const writer = openOutbox('p', warn), sender = openOutbox('p', warn);
    const [a, b] = [event(), event()];
    await Promise.all([writer._add(a), writer._add(b)]);
    expect((await sender._all()).map((e) => e.id)).toEqual([a.id, b.id]);
    await sender._del([a.id]);
    expect((await writer._all()).map((e) => e.id)).toEqual([b.id]);
  });

  it('del() removes only the given ids', async () => {
    const box = openOutbox('p', warn);
    const [a, b, c] = [event(), event(), event()];
    await Promise.all([box._add(a), box._add(b), box._add(c)]);
    await box._del([a.id, c.id]);
    expect((await rawRecords()).map((e) => e.id)).toEqual([b.id]);
  });

  it('survives a new outbox on the same database (a reload)', async () => {
    const e = event();
    await openOutbox('p', warn)._add(e);
    expect(await openOutbox('p', warn)._all()).toEqual([e]);
  });

  it('falls back to memory with one warning when IndexedDB is missing', async () => {
    vi.stubGlobal('indexedDB', undefined);
    const box = openOutbox('p', warn);
    const [a, b] = [event(), event()];
    await box._add(a);
    await box._add(b);
    expect(box._memory).toBe(true);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/IndexedDB.*memory/);
    expect((await box._all()).map((e) => e.id)).toEqual([a.id, b.id]);
    await box._del([a.id]);
    expect((await box._all()).map((e) => e.id)).toEqual([b.id]);
    vi.unstubAllGlobals();
  });

  it('falls back to memory when the database cannot open', async () => {
    vi.spyOn(IDBFactory.prototype, 'open').mockImplementation(() => { throw new DOMException('blocked', 'SecurityError'); });
    const box = openOutbox('p', warn);
    const e = event();
    await expect(box._add(e)).resolves.toBeUndefined();
    expect(await box._all()).toEqual([e]);
    expect(box._memory).toBe(true);
    expect(String(warn.mock.calls[0][0])).toMatch(/SecurityError/);
  });

  it('QuotaExceededError: new events go to memory, stored ones stay readable and deletable', async () => {
    const box = openOutbox('p', warn);
    const old = event();
    await box._add(old);
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => { throw new DOMException('full', 'QuotaExceededError'); });
    const fresh = event();
    await box._add(fresh);
    put.mockRestore();
    expect(box._memory).toBe(true);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/QuotaExceededError/);
    expect((await box._all()).map((e) => e.id)).toEqual([old.id, fresh.id]);
    await box._del([old.id, fresh.id]);
    expect(await box._all()).toEqual([]);
    expect(await rawRecords()).toEqual([]);
  });
});
