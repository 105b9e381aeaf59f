// feedback() input check: the ratings each scale of docs/contract.md allows, the same ranges the
// collector enforces (src/collector/validate.ts), so the SDK refuses exactly what would be refused later.
import { describe, it, expect } from 'vitest';
import { checkFeedback } from '../../src/core/feedback';
import { checkEvent } from '../../src/collector/validate';

const ranges: [string, number, number][] = [['stars', 1, 5], ['emoji', 1, 5], ['nps', 0, 10], ['thumbs', 0, 1]];
const ok = (rating: unknown, scale: unknown) => {
  try {
    checkFeedback({ rating: rating as number, scale: scale as 'stars' });
    return true;
  } catch (err) {
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe(`feedback: rating ${typeof rating === 'string' ? `"${rating}"` : rating} is not on the ${scale} scale`);
    return false;
  }
};

describe('checkFeedback', () => {
  it.each(ranges)('%s: %i to %i, whole numbers only', (scale, low, top) => {
    for (let r = low; r <= top; r++) expect(ok(r, scale)).toBe(true);
    for (const r of [low - 1, top + 1, low + 0.5, NaN, Infinity, -Infinity, String(low), null, undefined, true, [low], { valueOf: () => low }]) {
      expect(ok(r, scale)).toBe(false);
    }
  });

  it('refuses scales that are not one of the four, including Object.prototype names', () => {
    for (const scale of ['star', 'STARS', 'csat', '', 'toString', '__proto__', 'constructor', 'hasOwnProperty', undefined, null, 5]) {
      for (const r of [0, 1, 5, 10]) expect(ok(r, scale)).toBe(false);
    }
  });

  it('agrees with the collector on every rating from -2 to 12 and a fraction, on every scale', () => {
    const ctx = { now: Date.now(), skewMs: 0, maxAgeMs: 864e5 };
    for (const [scale] of ranges) {
      for (const rating of [...Array.from({ length: 15 }, (_, i) => i - 2), 2.5]) {
        const event = {
          id: 'abcdefghijk', type: 'feedback', ts: new Date().toISOString(), project: 'p', anonymousId: 'a', sessionId: 's',
          page: { url: 'https://shop.example/', path: '/' }, data: { rating, scale },
        };
        expect(ok(rating, scale), `${rating} on ${scale}`).toBe(checkEvent(event, 0, ctx).ok);
      }
    }
  });

  it('refuses a comment that is not text and tags that are not up to 20 texts of 1–64 characters, as the collector does', () => {
    const check = (extra: object) => {
      try {
        checkFeedback({ rating: 4, scale: 'stars', ...extra });
        return 'ok';
      } catch (err) {
        expect(err).toBeInstanceOf(TypeError);
        return (err as Error).message;
      }
    };
    for (const ok of [{}, { comment: '' }, { comment: 'fine' }, { comment: null }, { tags: [] }, { tags: ['a', 'x'.repeat(64)] }, { tags: Array(20).fill('t') }]) {
      expect(check(ok), JSON.stringify(ok)).toBe('ok');
    }
    for (const comment of [5, {}, ['a'], true]) expect(check({ comment })).toBe('feedback: comment is not text');
    for (const tags of ['checkout', [''], [5], ['x'.repeat(65)], Array(21).fill('t'), {}]) {
      expect(check({ tags })).toBe('feedback: tags are not up to 20 texts of 1–64 characters');
    }
  });
});
