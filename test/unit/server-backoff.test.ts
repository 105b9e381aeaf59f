// The server side's one backoff (equal jitter or none, capped), its sleep that an abort ends early,
// and the one Retry-After rule (src/wire) it shares with the browser SDK.
import { describe, it, expect } from 'vitest';
import { backoffMs } from '../../src/server/backoff';
import { sleep } from '../../src/server/sleep';
import { parseRetryAfter } from '../../src/wire/retry-after';

describe('backoffMs', () => {
  const equal = { baseMs: 100, maxMs: 5000, jitter: 'equal' } as const;
  it('equal jitter: between half the ceiling and the ceiling, the ceiling doubling per attempt', () => {
    expect(backoffMs(0, equal, () => 0)).toBe(50);
    expect(backoffMs(0, equal, () => 1)).toBe(100);
    expect(backoffMs(3, equal, () => 0.5)).toBe(600);
    const waits = Array.from({ length: 2000 }, () => backoffMs(4, equal));
    expect(waits.every((w) => w >= 800 && w <= 1600)).toBe(true);
    expect(Math.min(...waits)).toBeLessThan(880);
    expect(Math.max(...waits)).toBeGreaterThan(1520);
  });

  it('never exceeds the cap, however many attempts (no overflow to NaN)', () => {
    for (const attempt of [6, 10, 50, 5000]) {
      expect(backoffMs(attempt, equal, () => 1)).toBe(5000);
      expect(backoffMs(attempt, equal, () => 0)).toBe(2500);
    }
    expect(backoffMs(5000, { baseMs: 200, maxMs: Infinity, jitter: 'none' })).toBe(200 * 2 ** 30);
  });

  it('none: the ceiling itself', () => {
    const reopen = { baseMs: 500, maxMs: 30_000, jitter: 'none' } as const;
    expect([0, 1, 2, 5, 6, 7].map((a) => backoffMs(a, reopen, () => 0))).toEqual([500, 1000, 2000, 16_000, 30_000, 30_000]);
  });
});

describe('sleep', () => {
  it('waits, and resolves (never rejects) at once when aborted', async () => {
    let started = Date.now();
    await sleep(60);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    const controller = new AbortController();
    started = Date.now();
    const waiting = sleep(10_000, controller.signal);
    setTimeout(() => controller.abort(), 20);
    await expect(waiting).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(sleep(10_000, AbortSignal.abort())).resolves.toBeUndefined();
  });
});

describe('parseRetryAfter (src/wire)', () => {
  const now = Date.parse('2026-11-25T10:00:00Z');
  it('reads delay-seconds and an HTTP date; a past date is 0', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 3 ', now)).toBe(3000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('ignores missing and unreadable values', () => {
    for (const value of [null, undefined, '', '   ', 'soon', 'in 5 minutes']) expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});
