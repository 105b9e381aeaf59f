// All analysis state in one plain, JSON-serialisable object, updated one event at a time. The consumer
// checkpoints it together with the stream position, so a restart continues with unchanged counts.
import type { Scale } from '../../core/types';
import type { ConsumedEvent } from '../types';
import { clipText } from '../../collector/clip-text';
import { applyClick, createClicks, type ClicksState } from './clicks';
import { applyComment, createComments, type CommentsState } from './comments';
import { applyCsat, createCsat, type CsatState } from './csat';
import { applyNegativeComment, createNegativeWords, type NegativeWordsState } from './negative-words';
import { applyNps, createNps, type NpsState } from './nps';
import { applyPageRating, createPages, type PagesState } from './pages';
import { applyRating, createRatings, type RatingsState } from './ratings';
import { isLowRating, isValidRating } from './scales';
import { applySentiment, createSentiment, scoreComment, type CommentSentiment, type SentimentState } from './sentiment';
import { eventTime } from './time';
import { applyVolume, createVolume, type VolumeState } from './volume';

export interface AnalysisState {
  version: 1;
  ratings: RatingsState;
  nps: NpsState;
  csat: CsatState;
  volume: VolumeState;
  sentiment: SentimentState;
  negativeWords: NegativeWordsState;
  pages: PagesState;
  clicks: ClicksState;
  comments: CommentsState;
}

export function createAnalysis(): AnalysisState {
  return {
    version: 1, ratings: createRatings(), nps: createNps(), csat: createCsat(), volume: createVolume(),
    sentiment: createSentiment(), negativeWords: createNegativeWords(), pages: createPages(),
    clicks: createClicks(), comments: createComments(),
  };
}

/** What one feedback event said, for the alert rules. */
export interface FeedbackInsight {
  rating: number;
  scale: Scale;
  low: boolean;
  comment?: string;
  sentiment?: CommentSentiment;
}
export interface EventInsight { at: number; feedback?: FeedbackInsight }

const MAX_COMMENT = 2000;

/**
 * Applies one event. `known` is what applying the same event to another state returned (the
 * per-project states): its comment score is reused instead of scoring the comment again.
 */
export function applyEvent(state: AnalysisState, event: ConsumedEvent, known?: EventInsight): EventInsight {
  const at = eventTime(event);
  applyVolume(state.volume, event.type, at);
  const path = typeof event.page?.path === 'string' && event.page.path ? event.page.path : '/';

  if (event.type === 'click') {
    if (typeof event.data?.selector === 'string') applyClick(state.clicks, path, event.data.selector, event.data.text);
    return { at };
  }
  if (event.type !== 'feedback') return { at };

  const { rating, scale } = event.data ?? {};
  if (!isValidRating(rating, scale)) return { at };
  const low = isLowRating(rating, scale);
  applyRating(state.ratings, scale, rating, at);
  if (scale === 'nps') applyNps(state.nps, rating, at);
  applyCsat(state.csat, scale, rating);
  applyPageRating(state.pages, path, scale, rating, low);

  const comment = typeof event.data.comment === 'string' ? clipText(event.data.comment.trim(), MAX_COMMENT) : '';
  if (!comment) return { at, feedback: { rating, scale, low } };
  const sentiment = known?.feedback?.sentiment ?? scoreComment(comment);
  applySentiment(state.sentiment, sentiment, at);
  if (sentiment.score < 0 || low) applyNegativeComment(state.negativeWords, comment);
  applyComment(state.comments, { id: event.id, at, rating, scale, comment, path, score: sentiment.score, language: sentiment.language });
  return { at, feedback: { rating, scale, low, comment, sentiment } };
}
