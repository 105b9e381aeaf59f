// The wire rules (src/wire): one definition of the scales, the score bands and the project names,
// and the lookups are own-property ones, so Object.prototype names are never a scale.
import { describe, it, expect } from 'vitest';
import { isOnScale, isScale, SCALE_RANGE, type Scale } from '../../src/wire/scales';
import { scoreBand, LOW, MID, HIGH } from '../../src/wire/bands';
import { isProjectName, PROJECT_NAME, RESERVED_NAMES } from '../../src/wire/project';
import { parseRules } from '../../src/consumer/alerts/rules';
import { isLowRating, isScale as consumerIsScale, SCALE_RANGE as CONSUMER_RANGE, SCALES } from '../../src/consumer/analysis/scales';

const inherited = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];

describe('wire scales', () => {
  it('knows the four scales and nothing inherited', () => {
    expect([...SCALES]).toEqual(['stars', 'nps', 'thumbs', 'emoji']);
    for (const s of SCALES) expect(isScale(s)).toBe(true);
    for (const s of [...inherited, 'STARS', '', undefined, null, 5]) expect(isScale(s), String(s)).toBe(false);
    for (const s of inherited) expect(isOnScale(1, s)).toBe(false);
  });

  it('a rating is on its scale when whole and inside the range', () => {
    for (const s of SCALES) {
      const [min, max] = SCALE_RANGE[s];
      for (let r = min; r <= max; r++) expect(isOnScale(r, s)).toBe(true);
      for (const r of [min - 1, max + 1, min + 0.5, NaN, String(min), null]) expect(isOnScale(r, s)).toBe(false);
    }
  });

  it('bands: NPS detractor / passive / promoter, 1–5 low 1–2, mid 3, high 4–5, thumbs down / up', () => {
    const bands = (s: Scale) => { const [min, max] = SCALE_RANGE[s]; return Array.from({ length: max - min + 1 }, (_, i) => scoreBand(s, min + i)); };
    expect(bands('nps')).toEqual([LOW, LOW, LOW, LOW, LOW, LOW, LOW, MID, MID, HIGH, HIGH]);
    expect(bands('stars')).toEqual([LOW, LOW, MID, HIGH, HIGH]);
    expect(bands('emoji')).toEqual([LOW, LOW, MID, HIGH, HIGH]);
    expect(bands('thumbs')).toEqual([LOW, HIGH]);
    // The consumer's "unhappy" is the low band.
    for (const s of SCALES) for (let r = SCALE_RANGE[s][0]; r <= SCALE_RANGE[s][1]; r++) expect(isLowRating(r, s)).toBe(scoreBand(s, r) === LOW);
  });

  it('the consumer reads the same scales and ranges', () => {
    for (const s of inherited) expect(consumerIsScale(s)).toBe(false);
    for (const s of SCALES) expect([CONSUMER_RANGE[s].min, CONSUMER_RANGE[s].max]).toEqual([...SCALE_RANGE[s]]);
  });

  it('an alert rule naming an inherited scale is refused when the rules load, not silently never fired', () => {
    for (const scale of inherited) {
      expect(() => parseRules({ rules: [{ name: 'd', type: 'drop', scale, by: 1, withinMinutes: 5 }] }), scale).toThrow(/"scale" must be/);
      expect(() => parseRules({ rules: [{ name: 'r', type: 'rating', scales: [scale], max: 1 }] }), scale).toThrow(/"scales" must/);
    }
  });
});

describe('wire project names', () => {
  it('1–64 of A–Z a–z 0–9 _ -, none of the reserved names', () => {
    for (const name of ['p', 'shop-web', 'Shop_Web_2', 'p'.repeat(64), 'toString', 'Constructor', '__proto__x']) expect(isProjectName(name), name).toBe(true);
    for (const name of ['', 'p'.repeat(65), 'shop.web', 'shop web', 'shöp', 'a\n', ...RESERVED_NAMES, 5, null]) expect(isProjectName(name), String(name)).toBe(false);
    // The pattern alone (the SDK's config reads its source) holds the whole rule.
    for (const name of RESERVED_NAMES) expect(PROJECT_NAME.test(name)).toBe(false);
  });
});
