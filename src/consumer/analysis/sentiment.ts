// Sentiment of comments with the `sentiment` package (AFINN-165 for English; small registered word
// lists for de/fr/es, see sentiment-lexicons.ts).
import Sentiment from 'sentiment';
import { detectLanguage } from './language';
import { LEXICONS } from './sentiment-lexicons';
import type { CommentLanguage } from './stopwords';

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
