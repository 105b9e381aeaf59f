// The responses filter, read from URL query parameters (GET /dashboard/api/responses, docs/dashboard.md
// "Responses API"). Every value is checked here; a bad one is a 400 naming the parameter, never a
// silently wider result. The SQL is built from the parsed filter only (query.ts).
import { isProjectName } from '../../collector/validate';
import { isScale, type Scale } from '../../wire/scales';
import { storedId } from '../db/deltas';
import { decodeCursor, type ResponsesCursor } from './cursor';

export const STATUSES = ['new', 'seen', 'resolved'] as const;
export type ResponseStatus = (typeof STATUSES)[number];
export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;
export type SentimentFilter = (typeof SENTIMENTS)[number];

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;
/** The longest value any parameter takes (a search, a path). */
const MAX_VALUE = 512;

export interface ResponsesFilter {
  project?: string;
  /** Inclusive lower and exclusive upper bound of the event time. */
  from?: Date;
  to?: Date;
  scale?: Scale;
  min?: number;
  max?: number;
  /** `path` matched exactly, or as a prefix when the parameter ended in `*`. */
  page?: { path: string; prefix: boolean };
  /** Full-text search of the comment (websearch syntax: words, "a phrase", -not, or). */
  q?: string;
  status?: ResponseStatus;
  tag?: string;
  comment?: boolean;
  sentiment?: SentimentFilter;
  language?: string;
  visitor?: string;
  user?: string;
  limit: number;
  cursor?: ResponsesCursor;
}

export type FilterResult = { ok: true; filter: ResponsesFilter } | { ok: false; error: 'invalid_parameter'; parameter: string; message: string };

const KNOWN = new Set(['project', 'from', 'to', 'scale', 'min', 'max', 'page', 'q', 'status', 'tag', 'comment', 'sentiment', 'language', 'visitor', 'user', 'limit', 'cursor', 'format']);
/** A tag as PATCH accepts it (tags.ts): the filter takes the same. */
export const TAG = /^[\p{L}\p{N}][\p{L}\p{N} _.:-]{0,39}$/u;
const LANGUAGE = /^[a-z]{2,3}(?:-[a-z0-9]{1,8})?$|^other$/;
/** 2026-12-03, 2026-12-03T10:00, 2026-12-03T10:00:00.000Z, with an optional offset. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

class Invalid extends Error { constructor(readonly parameter: string, message: string) { super(message); } }

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Invalid(name, `${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function time(name: string, value: string): Date {
  // A date alone is that day at 00:00 UTC; a time without an offset is UTC too.
  const withZone = /T/.test(value) && !/(Z|[+-]\d{2}:\d{2})$/.test(value) ? `${value}Z` : value;
  const date = new Date(withZone);
  if (!ISO_TIME.test(value) || Number.isNaN(date.getTime())) throw new Invalid(name, `${name} must be an ISO date or time, e.g. 2026-12-01 or 2026-12-01T08:00:00Z`);
  return date;
}

function whole(name: string, value: string, min: number, max: number): number {
  const n = /^-?\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new Invalid(name, `${name} must be a whole number from ${min} to ${max}`);
  return n;
}

function text(name: string, value: string, max = MAX_VALUE): string {
  if (value.length > max) throw new Invalid(name, `${name} is longer than ${max} characters`);
  // Control characters are never part of a path or a search.
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new Invalid(name, `${name} contains control characters`);
  return value;
}

/**
 * A visitor's or a user's id as the collector took it (any text: a tab, a newline, spaces at the
 * ends) and the database holds it (NUL as U+FFFD, cut to 200 characters), so every stored id can be found.
 */
function visitorId(name: string, value: string, max: number): string {
  if (value.length > max) throw new Invalid(name, `${name} is longer than ${max} characters`);
  return storedId(value);
}

/** The filter of `params`, or why not. Empty values count as absent (a form sends them). */
export function parseResponsesFilter(params: URLSearchParams): FilterResult {
  try {
    const seen = new Set<string>();
    for (const key of params.keys()) {
      if (!KNOWN.has(key) && key !== 'token') throw new Invalid(key.slice(0, 64), `unknown parameter "${key.slice(0, 64)}"; known: ${[...KNOWN].join(', ')}`);
      if (seen.has(key)) throw new Invalid(key, `${key} is given more than once`);
      seen.add(key);
    }
    const get = (name: string): string | undefined => params.get(name)?.trim() || undefined;
    // Ids are not trimmed: ' alice ' is another user than 'alice'.
    const untrimmed = (name: string): string | undefined => {
      const value = params.get(name);
      return value?.trim() ? value : undefined;
    };
    const filter: ResponsesFilter = { limit: DEFAULT_LIMIT };
    const v = {
      project: get('project'), from: get('from'), to: get('to'), scale: get('scale'), min: get('min'), max: get('max'),
      page: get('page'), q: get('q'), status: get('status'), tag: get('tag'), comment: get('comment'), sentiment: get('sentiment'),
      language: get('language'), visitor: untrimmed('visitor'), user: untrimmed('user'), limit: get('limit'), cursor: get('cursor'),
    };
    if (v.project !== undefined) {
      if (!isProjectName(v.project)) throw new Invalid('project', 'project must be 1–64 of A–Z a–z 0–9 _ - (not __proto__, constructor, prototype)');
      filter.project = v.project;
    }
    if (v.from !== undefined) filter.from = time('from', v.from);
    if (v.to !== undefined) filter.to = time('to', v.to);
    if (filter.from && filter.to && filter.from >= filter.to) throw new Invalid('to', 'to must be later than from');
    if (v.scale !== undefined) {
      if (!isScale(v.scale)) throw new Invalid('scale', 'scale must be one of stars, nps, thumbs, emoji');
      filter.scale = v.scale;
    }
    if (v.min !== undefined) filter.min = whole('min', v.min, 0, 10);
    if (v.max !== undefined) filter.max = whole('max', v.max, 0, 10);
    if (filter.min !== undefined && filter.max !== undefined && filter.min > filter.max) throw new Invalid('max', 'max must be at least min');
    if (v.page !== undefined) {
      const page = text('page', v.page);
      if (!page.startsWith('/')) throw new Invalid('page', 'page must be a path starting with / (end it with * to match a prefix)');
      filter.page = page.endsWith('*') ? { path: page.slice(0, -1), prefix: true } : { path: page, prefix: false };
    }
    if (v.q !== undefined) filter.q = text('q', v.q, 200);
    if (v.status !== undefined) filter.status = oneOf('status', v.status, STATUSES);
    if (v.tag !== undefined) {
      if (!TAG.test(v.tag)) throw new Invalid('tag', 'tag must be 1–40 letters, digits, space, _ . : - (starting with a letter or digit)');
      filter.tag = v.tag;
    }
    if (v.comment !== undefined) filter.comment = oneOf('comment', v.comment, ['yes', 'no'] as const) === 'yes';
    if (v.sentiment !== undefined) filter.sentiment = oneOf('sentiment', v.sentiment, SENTIMENTS);
    if (v.language !== undefined) {
      if (!LANGUAGE.test(v.language)) throw new Invalid('language', 'language must be a language code such as en, de, fr, es, or other');
      filter.language = v.language;
    }
    if (v.visitor !== undefined) filter.visitor = visitorId('visitor', v.visitor, 128);
    if (v.user !== undefined) filter.user = visitorId('user', v.user, 256);
    if (v.limit !== undefined) filter.limit = whole('limit', v.limit, 1, MAX_LIMIT);
    if (v.cursor !== undefined) {
      const cursor = decodeCursor(v.cursor);
      if (!cursor) throw new Invalid('cursor', 'cursor is not one this server gave out (use the `next` of the previous page)');
      filter.cursor = cursor;
    }
    return { ok: true, filter };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, error: 'invalid_parameter', parameter: err.parameter, message: err.message };
    throw err;
  }
}
