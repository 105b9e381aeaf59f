// What one counted event said, worked out once by the write path (db/deltas.ts) for the alert rules.
import type { Scale } from '../../core/types';
import type { CommentSentiment } from './sentiment';

export interface FeedbackInsight {
  rating: number;
  scale: Scale;
  low: boolean;
  comment?: string;
  sentiment?: CommentSentiment;
}
export interface EventInsight { at: number; feedback?: FeedbackInsight }
