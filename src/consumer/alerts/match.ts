// Stateless rules: does this one piece of feedback match? Returns a short human reason, or null.
import type { FeedbackInsight } from '../analysis/insight';
import type { KeywordRule, RatingRule, SentimentRule } from './rules';

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whole-word, case-insensitive; spaces in a phrase match any run of whitespace. */
export function keywordPattern(keyword: string): RegExp {
  const body = keyword.toLowerCase().split(/\s+/).map(escapeRegExp).join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'iu');
}

export function matchRating(rule: RatingRule, f: FeedbackInsight): string | null {
  return rule.scales.includes(f.scale) && f.rating <= rule.max ? `rating ${f.rating} (${f.scale}) ≤ ${rule.max}` : null;
}

export function matchSentiment(rule: SentimentRule, f: FeedbackInsight): string | null {
  return f.sentiment && f.sentiment.score < rule.below ? `sentiment ${f.sentiment.score} < ${rule.below}` : null;
}

const patterns = new Map<string, RegExp>();
export function matchKeyword(rule: KeywordRule, f: FeedbackInsight): string | null {
  if (!f.comment) return null;
  const text = f.comment.normalize('NFC');
  const found = rule.keywords.filter((k) => {
    let re = patterns.get(k);
    if (!re) patterns.set(k, (re = keywordPattern(k.normalize('NFC'))));
    return re.test(text);
  });
  return found.length ? `keyword ${found.map((k) => `"${k}"`).join(', ')}` : null;
}
