import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { answeredWithin, onceKey, parseOnceDays, rememberAnswer } from '../../src/widget/once';

const DAY = 86_400_000;

class MemoryStorage {
  data = new Map<string, string>();
  getItem(key: string) { return this.data.get(key) ?? null; }
  setItem(key: string, value: string) { this.data.set(key, String(value)); }
  removeItem(key: string) { this.data.delete(key); }
}

describe('once memory', () => {
  let storage: MemoryStorage;
  beforeEach(() => {
    storage = new MemoryStorage();
    vi.stubGlobal('localStorage', storage);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('remembers an answer per project for N days', () => {
    const now = Date.UTC(2026, 10, 25);
    rememberAnswer('shop-web', now);
    expect(storage.getItem(onceKey('shop-web'))).toBe(String(now));
    expect(answeredWithin('shop-web', 30, now + 29 * DAY)).toBe(true);
    expect(answeredWithin('shop-web', 30, now + 30 * DAY)).toBe(false);
    expect(answeredWithin('other', 30, now + DAY)).toBe(false);
  });

  it('remembers nothing with 0 days', () => {
    rememberAnswer('p', 1000);
    expect(answeredWithin('p', 0, 1001)).toBe(false);
  });

  it('ignores garbage in storage', () => {
    storage.setItem(onceKey('p'), 'yesterday');
    expect(answeredWithin('p', 30)).toBe(false);
  });

  it('never throws when storage throws or is missing', () => {
    const throwing = { getItem() { throw new Error('SecurityError'); }, setItem() { throw new Error('QuotaExceeded'); } };
    vi.stubGlobal('localStorage', throwing);
    expect(() => rememberAnswer('p')).not.toThrow();
    expect(answeredWithin('p', 30)).toBe(false);
    vi.stubGlobal('localStorage', undefined);
    expect(() => rememberAnswer('p')).not.toThrow();
    expect(answeredWithin('p', 30)).toBe(false);
  });
});

describe('parseOnceDays', () => {
  it('accepts numbers of days', () => {
    const warn = vi.fn();
    expect(parseOnceDays(undefined, warn)).toBe(0);
    expect(parseOnceDays(30, warn)).toBe(30);
    expect(parseOnceDays('7', warn)).toBe(7);
    expect(parseOnceDays('0.5', warn)).toBe(0.5);
    expect(warn).not.toHaveBeenCalled();
  });
  for (const bad of ['-1', 'week', 'NaN', 'Infinity', -3, Number.NaN]) {
    it(`warns once for ${String(bad)}`, () => {
      const warn = vi.fn();
      expect(parseOnceDays(bad, warn)).toBe(0);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toContain('once ');
    });
  }
});
