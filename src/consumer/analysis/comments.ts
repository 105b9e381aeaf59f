// The newest comments, for the dashboard's feed. Kept as data; the page renders them as text.
import type { Scale } from '../../core/types';
import type { CommentLanguage } from './stopwords';

export const FEED_SIZE = 50;

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
export interface CommentsState { newest: FeedComment[] }

export const createComments = (): CommentsState => ({ newest: [] });

/** Keep the newest FEED_SIZE by event time (late, offline-delivered comments slot in where they belong). */
export function applyComment(state: CommentsState, item: FeedComment): void {
  const list = state.newest;
  let i = 0;
  while (i < list.length && list[i].at > item.at) i++;
  list.splice(i, 0, item);
  if (list.length > FEED_SIZE) list.length = FEED_SIZE;
}
