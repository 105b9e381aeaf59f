// The cross-tab send lock: Web Locks where present, else a localStorage lease with heartbeat.
import { describe, it, expect, afterEach, vi } from 'vitest';
import { withSendLock } from '../../src/core/sender-lock';
import { createEmitter } from '../../src/core/emitter';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A localStorage shared by several "tabs" (one origin). */
function fakeStorage(): Storage {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, String(v)),
    removeItem: (k: string) => void m.delete(k), clear: () => m.clear(), key: () => null, get length() { return m.size; },
  } as Storage;
}

describe('withSendLock', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('uses the Web Locks API when present', async () => {
    const request = vi.fn((_name: string, task: () => Promise<unknown>) => task());
    vi.stubGlobal('navigator', { locks: { request } });
    expect(await withSendLock('fp:x', async () => 42)).toBe(42);
    expect(request).toHaveBeenCalledWith('fp:x', expect.any(Function));
  });

  it('without Web Locks, a localStorage lease lets one holder run at a time', async () => {
    vi.stubGlobal('navigator', {});
    vi.stubGlobal('localStorage', fakeStorage());
    let inside = 0, most = 0;
    const task = async () => {
      most = Math.max(most, ++inside);
      await sleep(40);
      inside--;
      return true;
    };
    const results = await Promise.all([withSendLock('fp:x', task), withSendLock('fp:x', task), withSendLock('fp:x', task)]);
    expect(results).toEqual([true, true, true]);
    expect(most).toBe(1);
    expect(localStorage.getItem('fp:x')).toBeNull(); // released
  });

  it('renews the lease while a long send runs, so no other tab takes it', async () => {
    vi.stubGlobal('navigator', {});
    vi.stubGlobal('localStorage', fakeStorage());
    const order: string[] = [];
    const long = withSendLock('fp:x', async () => { order.push('long:start'); await sleep(4000); order.push('long:end'); });
    await sleep(50);
    const second = withSendLock('fp:x', async () => { order.push('second'); });
    await Promise.all([long, second]);
    expect(order).toEqual(['long:start', 'long:end', 'second']);
  }, 10000);

  it('takes over the lease of a tab that died (no heartbeat) once it expires', async () => {
    vi.stubGlobal('navigator', {});
    vi.stubGlobal('localStorage', fakeStorage());
    localStorage.setItem('fp:x', `${Date.now() + 300} 0.123`); // a dead tab's lease ("<expiry> <holder>"), 300 ms left
    const t0 = Date.now();
    await withSendLock('fp:x', async () => {});
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
  });

  it('runs the task unlocked when localStorage throws (storage disabled)', async () => {
    vi.stubGlobal('navigator', {});
    vi.stubGlobal('localStorage', { getItem() { throw new DOMException('denied', 'SecurityError'); } });
    expect(await withSendLock('fp:x', async () => 'ran')).toBe('ran');
  });
});

describe('emitter', () => {
  it('calls handlers by name, unsubscribes, and survives a throwing handler', () => {
    const { on, emit } = createEmitter();
    const seen: string[] = [];
    on('error', () => { throw new Error('host bug'); });
    const off = on('sent', (i) => seen.push(`sent ${i.count}`));
    on('drop', (i) => seen.push(`drop ${i.count} ${i.reason}`));
    emit('error', { message: 'x' });
    emit('sent', { count: 2, ids: ['a', 'b'] });
    off();
    emit('sent', { count: 1, ids: ['c'] });
    emit('drop', { count: 3, reason: 'queue full' });
    expect(seen).toEqual(['sent 2', 'drop 3 queue full']);
  });
});
