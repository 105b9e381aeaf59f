// What one event adds to the database, worked out before any SQL: its counter increments, its row
// in the responses inbox, the label of a clicked element, and what it said (for the alert rules).
// Pure: the same event always gives the same rows, which is what makes a replay exact.
import { clipText, wellFormed } from '../../collector/clip-text';
import { isProjectName } from '../../collector/validate';
import type { Scale } from '../../wire/scales';
import { contentWords, wordPairs } from '../analysis/negative-words';
import { isLowRating, isValidRating, normalizeRating } from '../analysis/scales';
import { scoreComment, sentimentLabel } from '../analysis/sentiment';
import type { EventInsight } from '../analysis/insight';
import { eventTime } from '../analysis/time';
import type { ConsumedEvent } from '../types';
import { clickKey, dayBucket, KEY_CHARS, METRIC, minuteBucket, type Grain } from './metrics';

export interface Delta { grain: Grain; bucket: number; metric: string; key: string; count: number; sum: number }

/** A row of fp_responses (snake_case as in the table). */
export interface ResponseRow {
  id: string; project: string; at: string; received_at: string; scale: Scale; score: number;
  comment: string | null; path: string; url: string | null; language: string | null; sentiment: number | null;
  anonymous_id: string; user_id: string | null; session_id: string | null;
}

export interface EventRows {
  id: string;
  /** The project the figures go to beside all projects; null for a name the dashboard cannot ask for. */
  project: string | null;
  deltas: Delta[];
  response?: ResponseRow;
  label?: { metric: string; key: string; label: string };
  insight: EventInsight;
}

/** Longest comment kept (as the dashboard's feed always did). */
export const MAX_COMMENT = 2000;

/**
 * Text as PostgreSQL can store it: well-formed Unicode (a lone surrogate becomes U+FFFD) and no
 * NUL, which no text column can hold.
 */
export const dbText = (value: string, max: number): string => clipText(wellFormed(value).replace(/\0/g, '\ufffd'), max);
/** Longest anonymous, user and session id kept: the responses API looks ids up and erases them as stored (storedId). */
export const ID_CHARS = 200;
/** An id as the database holds it. */
export const storedId = (value: string): string => dbText(value, ID_CHARS);
/** A key part: also without U+001F, the separator of clickKey. */
const keyText = (value: string): string => dbText(value, KEY_CHARS).replace(/\u001f/g, ' ');
const optionalText = (value: unknown, max: number): string | null => (typeof value === 'string' && value ? dbText(value, max) : null);

function counted(deltas: Delta[], at: number, metric: string, key: string, sum: number, grains: readonly Grain[]): void {
  for (const grain of grains) deltas.push({ grain, bucket: grain === 'minute' ? minuteBucket(at) : dayBucket(at), metric, key, count: 1, sum });
}
const MINUTE_AND_DAY: readonly Grain[] = ['minute', 'day'];
const DAY: readonly Grain[] = ['day'];

export function eventRows(event: ConsumedEvent): EventRows {
  const at = eventTime(event);
  const project = typeof event.project === 'string' && isProjectName(event.project) ? event.project : null;
  const deltas: Delta[] = [];
  const id = dbText(String(event.id), KEY_CHARS);
  const rows: EventRows = { id, project, deltas, insight: { at } };
  counted(deltas, at, METRIC.events, keyText(String(event.type)), 0, MINUTE_AND_DAY);
  const fullPath = typeof event.page?.path === 'string' && event.page.path ? event.page.path : '/';
  const path = keyText(fullPath);

  if (event.type === 'click') {
    const { selector, text } = event.data ?? {};
    if (typeof selector === 'string') {
      const key = clickKey(path, keyText(selector));
      counted(deltas, at, METRIC.click, key, 0, DAY);
      if (typeof text === 'string' && text) rows.label = { metric: METRIC.click, key, label: dbText(text, 64) };
    }
    return rows;
  }
  if (event.type !== 'feedback') return rows;

  const { rating, scale } = event.data ?? {};
  if (!isValidRating(rating, scale)) return rows;
  const low = isLowRating(rating, scale);
  counted(deltas, at, METRIC.rating(scale), String(rating), rating, MINUTE_AND_DAY);
  counted(deltas, at, METRIC.page, path, normalizeRating(rating, scale) * 100, DAY);
  if (low) counted(deltas, at, METRIC.pageLow, path, 0, DAY);

  const comment = typeof event.data.comment === 'string' ? dbText(event.data.comment.trim(), MAX_COMMENT) : '';
  const sentiment = comment ? scoreComment(comment) : undefined;
  rows.response = {
    id, project: dbText(String(event.project), 200), at: new Date(at).toISOString(),
    received_at: typeof event.receivedAt === 'string' && Number.isFinite(Date.parse(event.receivedAt)) ? event.receivedAt : new Date().toISOString(),
    scale, score: rating, comment: comment || null, path: dbText(fullPath, 2000), url: optionalText(event.page?.url, 2000),
    language: sentiment?.language ?? null, sentiment: sentiment?.score ?? null,
    anonymous_id: storedId(String(event.anonymousId)), user_id: optionalText(event.userId, ID_CHARS), session_id: optionalText(event.sessionId, ID_CHARS),
  };
  if (!comment || !sentiment) {
    rows.insight = { at, feedback: { rating, scale, low } };
    return rows;
  }
  counted(deltas, at, METRIC.sentiment, sentimentLabel(sentiment.score), sentiment.score, DAY);
  counted(deltas, at, METRIC.language, sentiment.language, 0, DAY);
  if (sentiment.score < 0 || low) {
    counted(deltas, at, METRIC.negativeComments, '', 0, DAY);
    // Each term counts once per comment: "broken broken broken" is one complaint.
    for (const word of new Set(contentWords(comment))) counted(deltas, at, METRIC.negativeWord, keyText(word), 0, DAY);
    for (const phrase of new Set(wordPairs(comment))) counted(deltas, at, METRIC.negativePhrase, keyText(phrase), 0, DAY);
  }
  rows.insight = { at, feedback: { rating, scale, low, comment, sentiment } };
  return rows;
}
