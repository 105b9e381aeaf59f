// The compact id index: no false negatives, growth, expiry by position (retention), and its size.
import { describe, it, expect } from 'vitest';
import { nanoid } from 'nanoid';
import { IdSet } from '../../src/collector/id-set.js';

const ids = (n: number) => Array.from({ length: n }, () => nanoid());

describe('IdSet', () => {
  it('holds every id it was given across growth, and nothing else', () => {
    const set = new IdSet();
    const held = ids(200_000);
    held.forEach((id, i) => set.add(id, i));
    expect(held.every((id) => set.has(id))).toBe(true);
    const others = ids(200_000);
    expect(others.filter((id) => set.has(id))).toEqual([]);
    expect(set.size).toBe(200_000);
    // 16 bytes a slot, at most ~70 % full after growth: well under a Set of strings.
    expect(set.bytes).toBeLessThanOrEqual(2 ** 19 * 16);
  });

  it('forgets entries below a position and keeps the rest', () => {
    const set = new IdSet();
    const held = ids(50_000);
    held.forEach((id, i) => set.add(id, i));
    set.expireBefore(20_000);
    expect(held.slice(0, 20_000).some((id) => set.has(id))).toBe(false);
    expect(held.slice(20_000).every((id) => set.has(id))).toBe(true);
    expect(set.size).toBe(30_000);
    // Re-adding an expired id later (a new record) makes it live again.
    set.add(held[0]!, 60_000);
    expect(set.has(held[0]!)).toBe(true);
  });

  it('shrinks after most entries expired', () => {
    const set = new IdSet();
    ids(100_000).forEach((id, i) => set.add(id, i));
    const before = set.bytes;
    set.expireBefore(99_000);
    expect(set.size).toBe(1000);
    expect(set.bytes).toBeLessThan(before / 8);
  });
});
