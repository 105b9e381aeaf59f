// Backoff with full jitter, capped, and Retry-After parsing (delay-seconds and HTTP date).
import { describe, it, expect } from 'vitest';
import { backoff, parseRetryAfter } from '../../src/core/retry';

describe('backoff', () => {
  it('is a random wait between 0 and 1 s * 2^attempt', () => {
    expect(backoff(0, 30000, () => 0)).toBe(0);
    expect(backoff(0, 30000, () => 0.999999)).toBeCloseTo(1000, 0);
    expect(backoff(3, 30000, () => 0.5)).toBe(4000);
  });

  it('never exceeds the cap, however many attempts', () => {
    for (const attempt of [5, 10, 50, 1000]) expect(backoff(attempt, 30000, () => 0.999999)).toBeLessThanOrEqual(30000);
  });

  it('spreads waits over the whole range (full jitter)', () => {
    const waits = Array.from({ length: 2000 }, () => backoff(4, 30000));
    expect(Math.min(...waits)).toBeLessThan(1600);
    expect(Math.max(...waits)).toBeGreaterThan(14400);
    expect(waits.every((w) => w >= 0 && w <= 16000)).toBe(true);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-25T10:00:00Z');
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120000);
    expect(parseRetryAfter(' 3 ', now)).toBe(3000);
    expect(parseRetryAfter('0', now)).toBe(0);
  });

  it('reads an HTTP date', () => {
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:30 GMT', now)).toBe(30000);
  });

  it('treats a date in the past as now', () => {
    expect(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('ignores missing and unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
