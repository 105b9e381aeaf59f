// wellFormed(): lone surrogates become U+FFFD, pairs stay. Both paths — String.prototype.toWellFormed
// where Node has it, and the regular-expression fallback — give the same text.
import { describe, it, expect, vi } from 'vitest';

const cases: [string, string][] = [
  ['plain text', 'plain text'],
  ['pair 😀 kept', 'pair 😀 kept'],
  ['\ud83d', '\ufffd'],
  ['\ude00', '\ufffd'],
  ['a\ud83db', 'a\ufffdb'],
  ['\ude00\ud83d', '\ufffd\ufffd'], // low then high: two lone halves, not a pair
  ['\ud83d\ud83d\ude00', '\ufffd😀'],
  ['😀\ude00', '😀\ufffd'],
  ['', ''],
];

describe('wellFormed', () => {
  it('native path', async () => {
    const { wellFormed } = await import('../../src/collector/clip-text');
    for (const [input, out] of cases) expect(wellFormed(input)).toBe(out);
  });

  it('fallback path (no String.prototype.toWellFormed)', async () => {
    const proto = String.prototype as { toWellFormed?: () => string };
    const native = proto.toWellFormed;
    delete proto.toWellFormed;
    try {
      vi.resetModules();
      const { wellFormed } = await import('../../src/collector/clip-text');
      for (const [input, out] of cases) expect(wellFormed(input)).toBe(out);
      for (let i = 0; i < 2000; i++) {
        const s = String.fromCharCode(...Array.from({ length: 6 }, () => (Math.random() < 0.5 ? 0xd800 + Math.floor(Math.random() * 0x800) : 97)));
        expect(wellFormed(s)).toBe(native!.call(s));
      }
    } finally {
      proto.toWellFormed = native;
      vi.resetModules();
    }
  });
});
