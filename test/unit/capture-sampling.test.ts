// Session sampling: the same session id always gets the same answer, and the kept share of
// many random sessions is close to the rate.
import { describe, it, expect } from 'vitest';
import { nanoid } from 'nanoid';
import { inSample } from '../../src/core/sampling';

describe('inSample', () => {
  it('is deterministic per session id', () => {
    for (let i = 0; i < 200; i++) {
      const id = nanoid();
      const first = inSample(id, 0.3);
      for (let j = 0; j < 5; j++) expect(inSample(id, 0.3)).toBe(first);
    }
  });

  it('keeps everything at rate 1 (and above or NaN) and nothing at 0 (and below)', () => {
    const ids = Array.from({ length: 500 }, () => nanoid());
    expect(ids.every((id) => inSample(id, 1))).toBe(true);
    expect(ids.every((id) => inSample(id, 2))).toBe(true);
    expect(ids.every((id) => inSample(id, NaN))).toBe(true);
    expect(ids.some((id) => inSample(id, 0))).toBe(false);
    expect(ids.some((id) => inSample(id, -1))).toBe(false);
  });

  it.each([0.01, 0.1, 0.25, 0.5, 0.9])('keeps about %f of 20,000 random sessions', (rate) => {
    const n = 20000;
    let kept = 0;
    for (let i = 0; i < n; i++) if (inSample(nanoid(), rate)) kept++;
    // 5 standard deviations of a binomial: fails by chance far less than once in a million runs.
    const sd = Math.sqrt(n * rate * (1 - rate));
    expect(Math.abs(kept - n * rate)).toBeLessThan(5 * sd);
  });

  it('is monotonic: a session kept at a rate is kept at every higher rate', () => {
    for (let i = 0; i < 500; i++) {
      const id = nanoid();
      const rates = [0.1, 0.2, 0.5, 0.8].map((r) => inSample(id, r));
      expect(rates.indexOf(true) === -1 || rates.slice(rates.indexOf(true)).every(Boolean)).toBe(true);
    }
  });
});
