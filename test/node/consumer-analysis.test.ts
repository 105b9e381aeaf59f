// The analysis rules both the write path (db/deltas.ts) and the figures (db/figures) apply: valid
// and low ratings, the NPS and CSAT bands, language and sentiment of comments, content words and
// phrases, the top lists' order and ties, and event time.
import { describe, expect, it } from 'vitest';
import { HOT_SPOTS, rankSpots } from '../../src/consumer/analysis/clicks';
import { countsForCsat, csatPercent, isSatisfied } from '../../src/consumer/analysis/csat';
import { detectLanguage } from '../../src/consumer/analysis/language';
import { contentWords, NEGATIVE_TERMS, topTerms, wordPairs } from '../../src/consumer/analysis/negative-words';
import { npsScore } from '../../src/consumer/analysis/nps';
import { rankWorstPages } from '../../src/consumer/analysis/pages';
import { isLowRating, isValidRating, normalizeRating } from '../../src/consumer/analysis/scales';
import { scoreComment, sentimentLabel } from '../../src/consumer/analysis/sentiment';
import { eventTime } from '../../src/consumer/analysis/time';
import type { ConsumedEvent } from '../../src/consumer/types';

const T0 = Date.parse('2026-11-25T10:00:00.000Z');

describe('scales', () => {
  it('validates ratings per scale', () => {
    expect(isValidRating(5, 'stars')).toBe(true);
    expect(isValidRating(0, 'stars')).toBe(false);
    expect(isValidRating(10, 'nps')).toBe(true);
    expect(isValidRating(11, 'nps')).toBe(false);
    expect(isValidRating(1, 'thumbs')).toBe(true);
    expect(isValidRating(2.5, 'emoji')).toBe(false);
    expect(isValidRating(3, 'hearts')).toBe(false);
  });
  it('normalises to 0..1 and knows what is low', () => {
    expect(normalizeRating(1, 'stars')).toBe(0);
    expect(normalizeRating(5, 'emoji')).toBe(1);
    expect(normalizeRating(5, 'nps')).toBe(0.5);
    expect(isLowRating(2, 'stars')).toBe(true);
    expect(isLowRating(3, 'stars')).toBe(false);
    expect(isLowRating(6, 'nps')).toBe(true);
    expect(isLowRating(7, 'nps')).toBe(false);
    expect(isLowRating(0, 'thumbs')).toBe(true);
  });
});

describe('nps and csat', () => {
  it('scores promoters minus detractors in %, rounded; null without answers', () => {
    expect(npsScore({ promoters: 3, passives: 1, detractors: 1 })).toBe(40); // 60% − 20%
    expect(npsScore({ promoters: 1, passives: 1, detractors: 1 })).toBe(0);
    expect(npsScore({ promoters: 1, passives: 0, detractors: 2 })).toBe(-33);
    expect(npsScore({ promoters: 0, passives: 0, detractors: 0 })).toBeNull();
  });
  it('CSAT is the % of 4–5 among 1–5 answers and ignores NPS and thumbs', () => {
    expect([1, 2, 3, 4, 5].map((r) => isSatisfied('stars', r))).toEqual([false, false, false, true, true]);
    expect(isSatisfied('emoji', 4)).toBe(true);
    expect(['stars', 'emoji', 'nps', 'thumbs'].map((s) => countsForCsat(s as 'stars'))).toEqual([true, true, false, false]);
    expect(csatPercent({ satisfied: 2, total: 4 })).toBe(50);
    expect(csatPercent({ satisfied: 0, total: 0 })).toBeNull();
  });
});

describe('language and sentiment', () => {
  it('guesses en, de, fr and es from common words', () => {
    expect(detectLanguage('The checkout is so slow and the page is broken')).toBe('en');
    expect(detectLanguage('Die Seite ist sehr langsam und nicht gut')).toBe('de');
    expect(detectLanguage('Le paiement est cassé, je ne peux pas payer')).toBe('fr');
    expect(detectLanguage('El pago no funciona y la página es muy lenta')).toBe('es');
  });
  it('counts comments in other scripts as "other", not English', () => {
    // Before: all of these were 'en', so the sentiment card said "English 100%" for them.
    for (const text of ['ممتاز جدا! شكرا لكم.', 'שירות גרוע מאוד, המוצר שבור!', 'とても良いです', 'Отличный магазин, спасибо']) {
      expect(detectLanguage(text), text).toBe('other');
    }
    // Latin script stays with the word lists, emoji and digits do not make a comment "other".
    expect(detectLanguage('Great product')).toBe('en');
    expect(detectLanguage('Love it 😍 5/5')).toBe('en');
    expect(detectLanguage('Sehr gut, danke! 😀')).toBe('de');
    expect(detectLanguage('👍')).toBe('en');
    expect(['ممتاز جدا!', 'שירות גרוע מאוד', 'Terrible checkout', 'Sehr gut, danke'].map((text) => scoreComment(text).language)).toEqual(['other', 'other', 'en', 'de']);
    expect(scoreComment('ممتاز 😀').score).toBe(2); // still scored: the emoji counts
  });
  it('scores English with AFINN', () => {
    const bad = scoreComment('Terrible, awful checkout');
    expect(bad.language).toBe('en');
    expect(bad.score).toBeLessThan(-3);
    expect(bad.negativeWords).toEqual(expect.arrayContaining(['terrible', 'awful']));
    expect(scoreComment('Great service, love it').score).toBeGreaterThan(0);
  });
  it('scores German, French and Spanish with the registered word lists, negation included', () => {
    expect(scoreComment('Die Lieferung war schnell und gut').score).toBeGreaterThan(0);
    expect(scoreComment('Das ist nicht gut').score).toBeLessThan(0);
    expect(scoreComment('Le moulin est arrivé cassé, très mauvais').score).toBeLessThan(0);
    expect(scoreComment('Ce n’est pas bon').score).toBeLessThan(0);
    expect(scoreComment('Excelente tienda, muy rápido').score).toBeGreaterThan(0);
    expect(scoreComment('El molinillo llegó roto').score).toBeLessThan(0);
  });
  it('labels a score positive, neutral or negative', () => {
    expect([3, 0, -1].map(sentimentLabel)).toEqual(['positive', 'neutral', 'negative']);
    expect(['Terrible', 'Sehr gut, danke', 'The order arrived'].map((c) => sentimentLabel(scoreComment(c).score))).toEqual(['negative', 'positive', 'neutral']);
  });
});

describe('negative words', () => {
  it('drops stopwords and finds two-word phrases', () => {
    expect(contentWords('I was charged twice and the app is broken!')).toEqual(['charged', 'twice', 'app', 'broken']);
    expect(wordPairs('I was charged twice, broken broken')).toEqual(['charged twice', 'broken broken']);
  });

  it('pairs only words that stand together in one clause, and leaves numbers out', () => {
    expect(contentWords('Still waiting for my refund after three weeks')).not.toContain('three');
    // Before: "refund three" and "three weeks" (the stopword "after" removed between them).
    expect(wordPairs('Still waiting for my refund after three weeks')).toEqual([]);
    expect(wordPairs('Refund missing three weeks later')).toEqual(['refund missing', 'weeks later']);
    expect(wordPairs('Charged twice, broken app. Drei Tage Lieferzeit')).toEqual(['charged twice', 'broken app', 'tage lieferzeit']);
  });

  it('ranks terms most counted first, then alphabetically, from a minimum count', () => {
    const counts: [string, number][] = [['slow', 2], ['broken', 2], ['charged', 3], ['once', 1]];
    expect(topTerms(counts, 3, 1)).toEqual([{ term: 'charged', count: 3 }, { term: 'broken', count: 2 }, { term: 'slow', count: 2 }]);
    expect(topTerms(counts, 15, NEGATIVE_TERMS.phrases.minCount).map((t) => t.term)).toEqual(['charged', 'broken', 'slow']);
  });
});

describe('pages and clicks', () => {
  it('ranks pages by normalised average, worst first, with a minimum count', () => {
    const ranked = rankWorstPages([
      ['/checkout', { count: 3, sum: 0 + 25 + 0, low: 3 }],
      ['/product', { count: 3, sum: 100 + 75 + 100, low: 0 }],
      ['/account', { count: 3, sum: 100 + 0 + 0, low: 2 }],
      ['/rare', { count: 1, sum: 0, low: 1 }],
    ]);
    expect(ranked.map((p) => p.path)).toEqual(['/checkout', '/account', '/product']);
    expect(ranked[0]!.score).toBeCloseTo(25 / 3);
    expect(ranked[1]!.lowShare).toBeCloseTo(2 / 3);
  });
  it('ranks hot spots by clicks, then page and selector, up to the number shown', () => {
    const spots = Array.from({ length: HOT_SPOTS + 3 }, (_, i) => ({ path: `/p${i % 3}`, selector: `#s${i}`, count: i % 4 }));
    spots.push({ path: '/', selector: 'button.buy', count: 9 }, { path: '/', selector: 'a.home', count: 9 });
    const ranked = rankSpots(spots, HOT_SPOTS);
    expect(ranked).toHaveLength(HOT_SPOTS);
    expect(ranked.slice(0, 2).map((s) => s.selector)).toEqual(['a.home', 'button.buy']);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]!.count).toBeGreaterThanOrEqual(ranked[i]!.count);
  });
});

describe('event time', () => {
  const feedback = (ts: string, receivedAt?: string): ConsumedEvent =>
    ({ project: 'p', anonymousId: 'a', sessionId: 's', page: { url: 'https://x/', path: '/' }, id: 'e', type: 'feedback', ts, ...(receivedAt ? { receivedAt } : {}), data: { rating: 3, scale: 'stars' } });
  it("is the client's time, unless the client clock is far in the future of receipt", () => {
    expect(eventTime(feedback(new Date(T0).toISOString(), new Date(T0 + 60_000).toISOString()))).toBe(T0);
    expect(eventTime(feedback(new Date(T0 + 4 * 60_000).toISOString(), new Date(T0).toISOString()))).toBe(T0 + 4 * 60_000);
    expect(eventTime(feedback('2030-01-01T00:00:00.000Z', new Date(T0).toISOString()))).toBe(T0);
    expect(eventTime(feedback('not a time', new Date(T0).toISOString()))).toBe(T0);
    expect(eventTime(feedback(new Date(T0).toISOString()))).toBe(T0);
  });
});
