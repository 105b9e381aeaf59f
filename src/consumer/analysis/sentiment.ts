// Sentiment of comments with the `sentiment` package (AFINN-165 for English; small registered word
// lists for de/fr/es, see sentiment-lexicons.ts), and its running aggregate.
import Sentiment from 'sentiment';
import { detectLanguage } from './language';
import { LEXICONS } from './sentiment-lexicons';
import type { CommentLanguage } from './stopwords';
import { addToBucket, average, dayKey, trimDays, type Bucket } from './time';
import { emptyRecord } from '../records';

const analyzer = new Sentiment();
for (const [code, lexicon] of Object.entries(LEXICONS)) {
  const negators = new Set(lexicon.negators);
  analyzer.registerLanguage(code, {
    labels: lexicon.labels,
    // Flip a word's score when a negator comes right before it (or two before, as in "ne ... pas bon").
    scoringStrategy: {
      apply: (tokens, cursor, score) =>
        (negators.has(tokens[cursor - 1]) || negators.has(tokens[cursor - 2]) ? -score : score),
    },
  });
}

export interface CommentSentiment {
  language: CommentLanguage;
  /** AFINN sum: below 0 negative, above 0 positive. */
  score: number;
  /** score / number of tokens. */
  comparative: number;
  negativeWords: string[];
}

export function scoreComment(comment: string): CommentSentiment {
  const language = detectLanguage(comment);
  // `other`: no word list of ours reads it; the English one still scores emoji and borrowed words.
  const result = analyzer.analyze(comment, { language: language === 'other' ? 'en' : language });
  return { language, score: result.score, comparative: result.comparative, negativeWords: result.negative };
}

export type SentimentLabel = 'positive' | 'neutral' | 'negative';
export const sentimentLabel = (score: number): SentimentLabel => (score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral');

export interface SentimentState {
  count: number;
  sum: number;
  labels: Record<SentimentLabel, number>;
  byLanguage: Partial<Record<CommentLanguage, number>>;
  byDay: Record<string, Bucket>;
}

export const createSentiment = (): SentimentState =>
  ({ count: 0, sum: 0, labels: { positive: 0, neutral: 0, negative: 0 }, byLanguage: emptyRecord(), byDay: emptyRecord() });

export function applySentiment(state: SentimentState, s: CommentSentiment, at: number): void {
  state.count += 1;
  state.sum += s.score;
  state.labels[sentimentLabel(s.score)] += 1;
  state.byLanguage[s.language] = (state.byLanguage[s.language] ?? 0) + 1;
  if (addToBucket(state.byDay, dayKey(at), s.score)) trimDays(state.byDay, 90);
}

export function sentimentView(state: SentimentState, days = 14) {
  return {
    count: state.count,
    average: state.count ? state.sum / state.count : null,
    labels: { ...state.labels },
    byLanguage: { ...state.byLanguage },
    perDay: Object.keys(state.byDay).sort().slice(-days).map((day) => ({ day, average: average(state.byDay[day]), count: state.byDay[day].count })),
  };
}
