// Unit tests for each analysis concern of the consumer (src/consumer/analysis).
import { describe, expect, it } from 'vitest';
import { applyClick, createClicks, hotSpots, pageHotSpots } from '../../src/consumer/analysis/clicks';
import { applyComment, createComments, FEED_SIZE } from '../../src/consumer/analysis/comments';
import { applyCsat, createCsat, csatPercent } from '../../src/consumer/analysis/csat';
import { detectLanguage } from '../../src/consumer/analysis/language';
import { applyNegativeComment, contentWords, createNegativeWords, negativeWordsView, wordPairs } from '../../src/consumer/analysis/negative-words';
import { applyNps, createNps, npsGroup, npsScore, npsView } from '../../src/consumer/analysis/nps';
import { applyPageRating, createPages, worstPages } from '../../src/consumer/analysis/pages';
import { applyRating, createRatings, ratingsView, rollingAverage } from '../../src/consumer/analysis/ratings';
import { isLowRating, isValidRating, normalizeRating } from '../../src/consumer/analysis/scales';
import { applySentiment, createSentiment, scoreComment, sentimentView } from '../../src/consumer/analysis/sentiment';
import { applyProjectEvent } from '../../src/consumer/analysis/projects';
import { applyEvent, createAnalysis } from '../../src/consumer/analysis/state';
import { eventTime } from '../../src/consumer/analysis/time';
import { applyVolume, createVolume, volumeView } from '../../src/consumer/analysis/volume';
import type { ConsumedEvent } from '../../src/consumer/types';

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const MIN = 60_000;

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

describe('ratings', () => {
  it('keeps overall, per-minute, per-day averages and the distribution per scale', () => {
    const s = createRatings();
    applyRating(s, 'stars', 5, T0);
    applyRating(s, 'stars', 3, T0 + 10_000);
    applyRating(s, 'stars', 1, T0 + 2 * MIN);
    applyRating(s, 'nps', 9, T0);
    const [stars, nps] = ratingsView(s);
    expect(stars.scale).toBe('stars');
    expect(stars.average).toBe(3);
    expect(stars.distribution).toEqual([1, 0, 1, 0, 1]);
    expect(stars.perDay).toEqual([{ day: '2026-11-25', average: 3, count: 3 }]);
    const minutes = stars.perMinute.filter((m) => m.count);
    expect(minutes.map((m) => [m.at, m.average])).toEqual([[T0, 4], [T0 + 2 * MIN, 1]]);
    expect(stars.perMinute).toHaveLength(60);
    expect(nps.distribution[9]).toBe(1);
  });
  it('rolls over the last hour of event time', () => {
    const s = createRatings();
    applyRating(s, 'stars', 1, T0);
    applyRating(s, 'stars', 5, T0 + 90 * MIN);
    applyRating(s, 'stars', 4, T0 + 100 * MIN);
    expect(rollingAverage(s.stars!)).toEqual({ average: 4.5, count: 2 });
    expect(ratingsView(s)[0].average).toBeCloseTo(10 / 3);
  });
});

describe('nps', () => {
  it('groups 0–6 / 7–8 / 9–10 and scores promoters minus detractors in %', () => {
    expect([0, 6, 7, 8, 9, 10].map(npsGroup)).toEqual(['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter']);
    const s = createNps();
    for (const r of [10, 9, 9, 8, 3]) applyNps(s, r, T0);
    expect(npsScore(s)).toBe(40); // 3 promoters, 1 detractor of 5 → 60% − 20%
    expect(npsView(s).perDay).toEqual([{ day: '2026-11-25', score: 40 }]);
    expect(npsScore(createNps())).toBeNull();
  });
});

describe('csat', () => {
  it('is the % of 4–5 among 1–5 answers and ignores NPS and thumbs', () => {
    const s = createCsat();
    applyCsat(s, 'stars', 5);
    applyCsat(s, 'stars', 4);
    applyCsat(s, 'emoji', 2);
    applyCsat(s, 'stars', 3);
    applyCsat(s, 'nps', 10);
    applyCsat(s, 'thumbs', 1);
    expect(csatPercent(s)).toBe(50);
    expect(s.byScale.emoji).toEqual({ satisfied: 0, total: 1 });
  });
});

describe('volume', () => {
  it('counts by type, per minute and per day', () => {
    const s = createVolume();
    applyVolume(s, 'click', T0);
    applyVolume(s, 'click', T0 + 1000);
    applyVolume(s, 'feedback', T0 + MIN);
    const v = volumeView(s);
    expect(v.total).toBe(3);
    expect(v.byType).toEqual({ click: 2, feedback: 1 });
    expect(v.perMinute.slice(-2)).toEqual([{ at: T0, count: 2 }, { at: T0 + MIN, count: 1 }]);
    expect(v.perDay).toEqual([{ day: '2026-11-25', count: 3 }]);
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
    const s = createSentiment();
    for (const text of ['ممتاز جدا!', 'שירות גרוע מאוד', 'Terrible checkout', 'Sehr gut, danke']) applySentiment(s, scoreComment(text), T0);
    expect(sentimentView(s).byLanguage).toEqual({ other: 2, en: 1, de: 1 });
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
  it('aggregates labels, languages and the per-day average', () => {
    const s = createSentiment();
    applySentiment(s, scoreComment('Terrible'), T0);
    applySentiment(s, scoreComment('Sehr gut, danke'), T0);
    applySentiment(s, scoreComment('The order arrived'), T0);
    const v = sentimentView(s);
    expect(v.labels).toEqual({ positive: 1, neutral: 1, negative: 1 });
    expect(v.byLanguage).toEqual({ en: 2, de: 1 });
    expect(v.perDay[0].count).toBe(3);
  });
});

describe('negative words', () => {
  it('drops stopwords, counts a word once per comment, and finds two-word phrases', () => {
    expect(contentWords('I was charged twice and the app is broken!')).toEqual(['charged', 'twice', 'app', 'broken']);
    const s = createNegativeWords();
    applyNegativeComment(s, 'I was charged twice, broken broken');
    applyNegativeComment(s, 'Charged twice again');
    applyNegativeComment(s, 'Page is broken');
    const v = negativeWordsView(s);
    expect(v.comments).toBe(3);
    expect(v.words.slice(0, 2)).toEqual([{ term: 'broken', count: 2 }, { term: 'charged', count: 2 }]);
    expect(v.phrases).toEqual([{ term: 'charged twice', count: 2 }]);
  });

  it('pairs only words that stand together in one clause, and leaves numbers out', () => {
    expect(contentWords('Still waiting for my refund after three weeks')).not.toContain('three');
    // Before: "refund three" and "three weeks" (the stopword "after" removed between them).
    expect(wordPairs('Still waiting for my refund after three weeks')).toEqual([]);
    expect(wordPairs('Refund missing three weeks later')).toEqual(['refund missing', 'weeks later']);
    expect(wordPairs('Charged twice, broken app. Drei Tage Lieferzeit')).toEqual(['charged twice', 'broken app', 'tage lieferzeit']);
  });
});

describe('pages and clicks', () => {
  it('ranks pages by normalised average, worst first, with a minimum count', () => {
    const s = createPages();
    for (const r of [1, 2, 1]) applyPageRating(s, '/checkout', 'stars', r, r <= 2);
    for (const r of [5, 4, 5]) applyPageRating(s, '/product', 'stars', r, false);
    for (const r of [10, 0, 0]) applyPageRating(s, '/account', 'nps', r, r <= 6);
    applyPageRating(s, '/rare', 'stars', 1, true);
    const ranked = worstPages(s);
    expect(ranked.map((p) => p.path)).toEqual(['/checkout', '/account', '/product']);
    expect(ranked[0].score).toBeCloseTo((0 + 25 + 0) / 3);
    expect(ranked[1].lowShare).toBeCloseTo(2 / 3);
  });
  it('counts clicks per selector per page', () => {
    const s = createClicks();
    applyClick(s, '/', 'button.buy', 'Buy');
    applyClick(s, '/', 'button.buy', 'Buy');
    applyClick(s, '/cart', 'button.buy', undefined);
    applyClick(s, '/', 'a.home', 'Home');
    expect(hotSpots(s)[0]).toEqual({ path: '/', selector: 'button.buy', text: 'Buy', count: 2 });
    expect(hotSpots(s)).toHaveLength(3);
    expect(pageHotSpots(s, '/cart')).toEqual([{ selector: 'button.buy', text: undefined, count: 1 }]);
  });
});

describe('comments feed', () => {
  it('keeps the newest by event time, bounded', () => {
    const s = createComments();
    const item = (id: string, at: number) => ({ id, at, rating: 3, scale: 'stars' as const, comment: id, path: '/', score: 0, language: 'en' as const });
    applyComment(s, item('a', T0));
    applyComment(s, item('c', T0 + 2000));
    applyComment(s, item('b', T0 + 1000));
    expect(s.newest.map((c) => c.id)).toEqual(['c', 'b', 'a']);
    for (let i = 0; i < FEED_SIZE + 5; i++) applyComment(s, item(`x${i}`, T0 + 10_000 + i));
    expect(s.newest).toHaveLength(FEED_SIZE);
    expect(s.newest[0].id).toBe(`x${FEED_SIZE + 4}`);
  });
});

describe('applyEvent', () => {
  const base = { project: 'p', anonymousId: 'a', sessionId: 's', page: { url: 'https://x/checkout', path: '/checkout' } };
  const feedback = (id: string, rating: number, comment?: string, ts = new Date(T0).toISOString()): ConsumedEvent =>
    ({ ...base, id, type: 'feedback', ts, receivedAt: ts, data: { rating, scale: 'stars', ...(comment ? { comment } : {}) } });

  it('feeds every concern and reports what the alert rules need', () => {
    const s = createAnalysis();
    const insight = applyEvent(s, feedback('e1', 1, 'Totally broken, awful'));
    applyEvent(s, { ...base, id: 'c1', type: 'click', ts: new Date(T0).toISOString(), data: { selector: '#pay', tag: 'button' } });
    expect(insight.feedback).toMatchObject({ rating: 1, scale: 'stars', low: true, comment: 'Totally broken, awful' });
    expect(insight.feedback!.sentiment!.score).toBeLessThan(0);
    expect(s.volume.total).toBe(2);
    expect(s.csat.total).toBe(1);
    expect(s.pages['/checkout'].count).toBe(1);
    expect(s.clicks['/checkout']['#pay'].count).toBe(1);
    expect(s.comments.newest[0].id).toBe('e1');
    expect(s.negativeWords.words.broken).toBe(1);
  });
  it('counts an invalid rating as volume only', () => {
    const s = createAnalysis();
    expect(applyEvent(s, feedback('e2', 9)).feedback).toBeUndefined();
    expect(s.volume.total).toBe(1);
    expect(s.ratings.stars).toBeUndefined();
  });
  it('survives a JSON round trip (the checkpoint) with identical results', () => {
    const a = createAnalysis();
    applyEvent(a, feedback('e1', 4, 'Nice'));
    const b = JSON.parse(JSON.stringify(a));
    applyEvent(a, feedback('e2', 2, 'Slow'));
    applyEvent(b, feedback('e2', 2, 'Slow'));
    expect(b).toEqual(a);
  });
  it('uses receivedAt when the client clock is far in the future', () => {
    const e = feedback('e3', 3, undefined, '2030-01-01T00:00:00.000Z');
    e.receivedAt = new Date(T0).toISOString();
    expect(eventTime(e)).toBe(T0);
  });
});

describe('bounded history', () => {
  it('keeps 90 days and takes a very late event without trouble', () => {
    const a = createAnalysis();
    const base = { project: 'p', anonymousId: 'a', sessionId: 's', page: { url: 'https://x/', path: '/' } };
    const at = (days: number) => new Date(T0 - days * 86_400_000).toISOString();
    for (let d = 0; d < 95; d++) applyEvent(a, { ...base, id: `d${d}`, type: 'feedback', ts: at(d), data: { rating: 9, scale: 'nps', comment: 'gut' } });
    applyEvent(a, { ...base, id: 'late', type: 'feedback', ts: at(400), data: { rating: 2, scale: 'nps', comment: 'bad' } });
    expect(Object.keys(a.nps.byDay)).toHaveLength(90);
    expect(Object.keys(a.volume.byDay)).toHaveLength(90);
    expect(Object.keys(a.ratings.nps!.byDay)).toHaveLength(90);
    expect(a.nps.detractors).toBe(1);
    expect(a.volume.total).toBe(96);
  });
  it('keeps at most a day (plus an hour) of minute buckets while replaying days of history', () => {
    const s = createRatings();
    const v = createVolume();
    for (let m = 0; m < 3 * 24 * 60; m += 1) {
      applyRating(s, 'stars', 1 + (m % 5), T0 + m * MIN);
      applyVolume(v, 'feedback', T0 + m * MIN);
    }
    expect(Object.keys(s.stars!.byMinute).length).toBeLessThanOrEqual(24 * 60 + 60);
    expect(Object.keys(s.stars!.byMinute).length).toBeGreaterThanOrEqual(24 * 60);
    expect(Object.keys(v.byMinute).length).toBeLessThanOrEqual(24 * 60 + 60);
    expect(rollingAverage(s.stars!).count).toBe(60);
  });
});

describe('per-project analysis', () => {
  it('gives figures only to names the dashboard can ask for, and to at most maxProjects of them', () => {
    const projects = new Map<string, ReturnType<typeof createAnalysis>>();
    const names = ['shop', 'a b', '__proto__', '', 'x'.repeat(65), 'blog', 'docs', 'more'];
    for (const [i, project] of names.entries()) {
      const event: ConsumedEvent = { id: `id-${i}-xxxxxx`, type: 'track', ts: new Date().toISOString(), project, anonymousId: 'a', sessionId: 's', page: { url: 'https://x/', path: '/' }, data: { name: 'n' } };
      applyProjectEvent(projects, event, applyEvent(createAnalysis(), event), 3);
    }
    // '__proto__' matches the name pattern, but the collector refuses it as a project (and the
    // dashboard's ?project= answers 400 for it), so it gets no figures of its own.
    expect([...projects.keys()]).toEqual(['shop', 'blog', 'docs']);
    expect(projects.get('shop')!.volume.total).toBe(1);
  });
});
