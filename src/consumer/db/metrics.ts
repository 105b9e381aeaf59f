// What fp_rollups counts (docs/database.md): the metric names, their keys and grains, and the time
// buckets. The write path (deltas.ts) and every figure read back use these names only.
import type { Scale } from '../../wire/scales';

export const METRIC = {
  /** key: the event type. Minute and day. */
  events: 'events',
  /** key: the score; sum: the scores. Minute and day. NPS and CSAT are read from these. */
  rating: (scale: Scale) => `rating:${scale}`,
  /** key: positive | neutral | negative; sum: the AFINN scores. Day. */
  sentiment: 'sentiment',
  /** key: the comment's language. Day. */
  language: 'language',
  /** key: the page path; sum: the ratings normalised to 0–100. Day. */
  page: 'page',
  /** key: the page path; count: its low ratings. Day. */
  pageLow: 'page_low',
  /** key: clickKey(path, selector). Day; the element's text is in fp_labels. */
  click: 'click',
  /** Comments that were negative or came with a low rating. Day. */
  negativeComments: 'negative_comments',
  /** key: a content word of a negative comment (once per comment). Day. */
  negativeWord: 'negative_word',
  /** key: a two-word phrase of a negative comment (once per comment). Day. */
  negativePhrase: 'negative_phrase',
} as const;

export type Grain = 'minute' | 'day';

/** The figures of all projects together are kept under this project name. */
export const ALL_PROJECTS = '';
/**
 * Where alerts are filed when their project has no figures of its own (beyond the first
 * `maxProjects`, or a name the dashboard cannot ask for): the project cap thereby bounds the
 * alert store's per-project counts and the dashboard's project list.
 */
export const OTHER_PROJECTS = '(other projects)';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
export const minuteBucket = (at: number): number => Math.floor(at / MINUTE_MS);
export const dayBucket = (at: number): number => Math.floor(at / DAY_MS);
/** The UTC calendar day of a day bucket, e.g. 2026-11-25. */
export const dayOfBucket = (bucket: number): string => new Date(bucket * DAY_MS).toISOString().slice(0, 10);
export const minuteStartOf = (bucket: number): number => bucket * MINUTE_MS;

/** Keys (paths, selectors, words: visitor text) are cut to this many characters. */
export const KEY_CHARS = 256;

/** A page path and a selector as one key; U+001F (unit separator) cannot come from either. */
const CLICK_SEPARATOR = '\u001f';
export const clickKey = (path: string, selector: string): string => `${path}${CLICK_SEPARATOR}${selector}`;
export function splitClickKey(key: string): { path: string; selector: string } {
  const at = key.indexOf(CLICK_SEPARATOR);
  return at < 0 ? { path: key, selector: '' } : { path: key.slice(0, at), selector: key.slice(at + 1) };
}
