// The negative-words table is bounded (3,000 terms). Made-up words sent twice each used to fill it
// for good: beyond the bound only terms seen once were forgotten, so every new word of a real
// complaint was forgotten on arrival and never showed on the dashboard (measured on `npm start`:
// 600 one-word one-star ratings, then five "the basket page is squeaky": no "squeaky").
import { expect, it } from 'vitest';
import { applyNegativeComment, createNegativeWords, negativeWordsView } from '../../src/consumer/analysis/negative-words';

/** A distinct made-up word per number (base 26 in letters). */
const madeUp = (i: number) => `zq${[...i.toString(26).padStart(4, '0')].map((d) => String.fromCharCode(97 + parseInt(d, 26))).join('')}`;

it('a real complaint still shows after made-up words filled the table', () => {
  const state = createNegativeWords();
  for (let i = 0; i < 3000; i++) for (let k = 0; k < 2; k++) applyNegativeComment(state, madeUp(i));
  expect(Object.keys(state.words).length).toBeLessThanOrEqual(3000);
  for (let k = 0; k < 5; k++) applyNegativeComment(state, 'the basket page is squeaky');
  const shown = negativeWordsView(state).words;
  expect(shown.slice(0, 3).map((w) => w.term).sort()).toEqual(['basket', 'page', 'squeaky']);
  expect(shown.find((w) => w.term === 'squeaky')?.count).toBe(5);
  expect(negativeWordsView(state).phrases.map((p) => p.term)).toContain('basket page');
  expect(Object.keys(state.words).length).toBeLessThanOrEqual(3000);
});

it('terms many complaints share keep their exact count through the bound', () => {
  const state = createNegativeWords();
  for (let i = 0; i < 10_000; i++) applyNegativeComment(state, i % 10 === 0 ? `refund ${madeUp(i)}` : madeUp(i));
  expect(negativeWordsView(state).words[0]).toEqual({ term: 'refund', count: 1000 });
  expect(Object.keys(state.words).length).toBeLessThanOrEqual(3000);
});
