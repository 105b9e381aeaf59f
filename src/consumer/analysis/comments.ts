// A comment of the dashboard's feed. Kept as data; the page renders it as text.
import type { Scale } from '../../core/types';
import type { CommentLanguage } from './stopwords';

export interface FeedComment {
  id: string;
  at: number;
  rating: number;
  scale: Scale;
  comment: string;
  path: string;
  score: number;
  language: CommentLanguage;
}
