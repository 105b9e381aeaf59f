// Identity: anonymous id kept per project in localStorage, session id per tab with 30 minutes of
// inactivity rotation, and memory fallbacks when storage throws. (Real storage: test/browser/capture-dom.test.ts.)
import { describe, it, expect, vi, afterEach } from 'vitest';
import { anonymousId, sessionId, userIdOf } from '../../src/core/identity';

class MemoryStorage {
  data = new Map<string, string>();
  getItem(k: string) { return this.data.get(k) ?? null; }
  setItem(k: string, v: string) { this.data.set(k, String(v)); }
}
const throwing = { getItem() { throw new DOMException('denied', 'SecurityError'); }, setItem() { throw new DOMException('full', 'QuotaExceededError'); } };

afterEach(() => { vi.unstubAllGlobals(); vi.useRealTimers(); });

describe('anonymousId', () => {
  it('is a nanoid kept in localStorage per project', () => {
    const local = new MemoryStorage();
    vi.stubGlobal('window', { localStorage: local, sessionStorage: new MemoryStorage() });
    const a = anonymousId('shop');
    expect(a).toMatch(/^[\w-]{21}$/);
    expect(anonymousId('shop')).toBe(a);
    expect(local.getItem('fp_aid_shop')).toBe(a);
    expect(anonymousId('blog')).not.toBe(a);
    // A returning visitor: the id stored on an earlier visit is used.
    local.setItem('fp_aid_returning', 'kept-from-last-visit');
    expect(anonymousId('returning')).toBe('kept-from-last-visit');
  });
  it('falls back to memory when storage throws, stable for the page', () => {
    vi.stubGlobal('window', { localStorage: throwing, sessionStorage: throwing });
    const a = anonymousId('p1');
    expect(a).toMatch(/^[\w-]{21}$/);
    expect(anonymousId('p1')).toBe(a);
    vi.stubGlobal('window', undefined);
    expect(anonymousId('p1')).toBe(a);
  });
});

describe('userIdOf', () => {
  it('stores the identified user per project and reads it back on a later load', () => {
    const local = new MemoryStorage();
    vi.stubGlobal('window', { localStorage: local, sessionStorage: new MemoryStorage() });
    expect(userIdOf('uid-shop')).toBe('');
    expect(userIdOf('uid-shop', 'u-42')).toBe('u-42');
    expect(local.getItem('fp_uid_uid-shop')).toBe('u-42');
    expect(userIdOf('uid-shop')).toBe('u-42');
    expect(userIdOf('uid-blog')).toBe('');
    // A later page load (empty memory copy, as after a reload): storage has it.
    local.setItem('fp_uid_uid-returning', 'u-7');
    expect(userIdOf('uid-returning')).toBe('u-7');
    expect(userIdOf('uid-returning', 'u-8')).toBe('u-8');
    expect(local.getItem('fp_uid_uid-returning')).toBe('u-8');
  });
});

describe('storage that refuses writes', () => {
  it('keeps both ids stable when setItem throws but getItem works (quota full)', () => {
    const full = { getItem: () => null, setItem() { throw new DOMException('full', 'QuotaExceededError'); } };
    vi.stubGlobal('window', { localStorage: full, sessionStorage: full });
    const a = anonymousId('quota'), s = sessionId('quota');
    expect(anonymousId('quota')).toBe(a);
    expect(sessionId('quota')).toBe(s);
  });
});

describe('sessionId', () => {
  it('stays while active and rotates after 30 minutes without events', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const session = new MemoryStorage();
    vi.stubGlobal('window', { localStorage: new MemoryStorage(), sessionStorage: session });
    const s1 = sessionId('shop');
    expect(s1).toMatch(/^[\w-]{21}$/);
    // Activity every 20 minutes for two hours keeps the session alive.
    for (let i = 0; i < 6; i++) { vi.advanceTimersByTime(20 * 60_000); expect(sessionId('shop')).toBe(s1); }
    vi.advanceTimersByTime(30 * 60_000 + 1);
    const s2 = sessionId('shop');
    expect(s2).not.toBe(s1);
    expect(session.getItem('fp_sid_shop')?.startsWith(s2 + ' ')).toBe(true);
    expect(sessionId('other')).not.toBe(s2);
  });
  it('rotates in memory too when storage throws', () => {
    vi.useFakeTimers({ now: 5_000_000 });
    vi.stubGlobal('window', { localStorage: throwing, sessionStorage: throwing });
    const s1 = sessionId('mem');
    vi.advanceTimersByTime(29 * 60_000);
    expect(sessionId('mem')).toBe(s1);
    vi.advanceTimersByTime(31 * 60_000);
    expect(sessionId('mem')).not.toBe(s1);
  });
  it('starts a new session when the stored value is garbage', () => {
    const session = new MemoryStorage();
    session.setItem('fp_sid_g', 'garbage');
    vi.stubGlobal('window', { localStorage: new MemoryStorage(), sessionStorage: session });
    expect(sessionId('g')).toMatch(/^[\w-]{21}$/);
  });
});
