// The words and two-word phrases that come up most in negative comments (stopwords removed).
import { words } from './language';
import { LANGUAGES, STOPWORDS } from './stopwords';

const isStopword = (w: string): boolean => LANGUAGES.some((lang) => STOPWORDS[lang].has(w));

/**
 * Numbers written as words (en, de, fr, es): "after three weeks" says how long, not what went
 * wrong, and made pairs such as "refund three".
 */
const NUMBER_WORDS = new Set(`one two three four five six seven eight nine ten eleven twelve twenty
  thirty hundred thousand eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf zwanzig
  dreißig hundert tausend deux trois quatre cinq sept huit neuf dix onze douze vingt trente cent
  mille uno dos tres cuatro cinco seis siete ocho nueve diez doce veinte treinta cien mil`.split(/\s+/));

const isContentWord = (w: string): boolean => w.length >= 3 && !isStopword(w) && !NUMBER_WORDS.has(w);

/** Content words of a comment, in order. */
export function contentWords(comment: string): string[] {
  return words(comment).filter(isContentWord);
}

/**
 * Two-word phrases of a comment: two content words standing next to each other in one clause.
 * Pairs across a removed word or a punctuation mark ("refund [after] three", "twice, broken") are
 * words that happen to be near, not a phrase.
 */
export function wordPairs(comment: string): string[] {
  const pairs: string[] = [];
  for (const clause of comment.split(/[.,;:!?¿¡()[\]{}"«»\n]+/)) {
    const all = words(clause);
    for (let i = 0; i + 1 < all.length; i++) if (isContentWord(all[i]) && isContentWord(all[i + 1])) pairs.push(`${all[i]} ${all[i + 1]}`);
  }
  return pairs;
}

/** The `n` most counted terms with at least `minCount`, most first, then alphabetical. */
export const topTerms = (counts: Iterable<[term: string, count: number]>, n: number, minCount: number) =>
  [...counts].filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n)
    .map(([term, count]) => ({ term, count }));
/** Terms shown: words counted once are shown, phrases from two comments on. */
export const NEGATIVE_TERMS = { words: { n: 15, minCount: 1 }, phrases: { n: 15, minCount: 2 } } as const;
