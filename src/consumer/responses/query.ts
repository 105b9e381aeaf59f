// The one SQL builder of the responses inbox: the filter becomes a WHERE clause of `$n`
// placeholders with the values beside it, never text spliced into SQL. Listing, export and counting
// all go through here. Order: newest first, ties by id (ORDER BY at DESC, id DESC), paged by keyset.
import type { Queryable } from '../db/database';
import { encodeCursor, type ResponsesCursor } from './cursor';
import type { ResponseStatus, ResponsesFilter } from './filters';

/** One response as the API gives it. */
export interface ResponseRow {
  id: string;
  project: string;
  at: string;
  receivedAt: string;
  scale: string;
  score: number;
  comment: string | null;
  path: string;
  url: string | null;
  language: string | null;
  sentiment: number | null;
  anonymousId: string;
  userId: string | null;
  sessionId: string | null;
  status: ResponseStatus;
  tags: string[];
}

/** The columns in the order CSV gives them. */
export const RESPONSE_COLUMNS: readonly (keyof ResponseRow)[] = [
  'id', 'project', 'at', 'receivedAt', 'scale', 'score', 'comment', 'path', 'url', 'language', 'sentiment',
  'anonymousId', 'userId', 'sessionId', 'status', 'tags',
];

// Times as ISO text made by the database (UTC, microseconds), and the cursor key in whole microseconds.
// The text columns must not be named `at`: ORDER BY resolves a bare name to an output column first,
// so `ORDER BY at` would sort by the text, which no index serves, and every page would read and sort
// the whole table (an export of N rows then costs N²/batch rows read).
const SELECT = `SELECT id, project,
  to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_iso,
  to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS received_at_iso,
  (extract(epoch FROM at) * 1000000)::int8 AS at_micros,
  scale, score, comment, path, url, language, sentiment, anonymous_id, user_id, session_id, status, tags
  FROM fp_responses`;

interface DbRow {
  id: string; project: string; at_iso: string; received_at_iso: string; at_micros: number; scale: string; score: number;
  comment: string | null; path: string; url: string | null; language: string | null; sentiment: number | null;
  anonymous_id: string; user_id: string | null; session_id: string | null; status: ResponseStatus; tags: string[];
}

const toResponse = (r: DbRow): ResponseRow => ({
  id: r.id, project: r.project, at: r.at_iso, receivedAt: r.received_at_iso, scale: r.scale, score: r.score, comment: r.comment,
  path: r.path, url: r.url, language: r.language, sentiment: r.sentiment, anonymousId: r.anonymous_id, userId: r.user_id,
  sessionId: r.session_id, status: r.status, tags: r.tags,
});

export interface BuiltQuery { sql: string; params: unknown[] }

/** WHERE … for `filter` (without the cursor), and its parameters. */
export function whereClause(filter: Omit<ResponsesFilter, 'limit' | 'cursor'>, params: unknown[] = []): { where: string; params: unknown[] } {
  const parts: string[] = [];
  const bind = (value: unknown): string => { params.push(value); return `$${params.length}`; };
  if (filter.project !== undefined) parts.push(`project = ${bind(filter.project)}`);
  if (filter.from) parts.push(`at >= ${bind(filter.from.toISOString())}::timestamptz`);
  if (filter.to) parts.push(`at < ${bind(filter.to.toISOString())}::timestamptz`);
  if (filter.scale !== undefined) parts.push(`scale = ${bind(filter.scale)}`);
  if (filter.min !== undefined) parts.push(`score >= ${bind(filter.min)}`);
  if (filter.max !== undefined) parts.push(`score <= ${bind(filter.max)}`);
  if (filter.page) parts.push(filter.page.prefix ? `starts_with(path, ${bind(filter.page.path)})` : `path = ${bind(filter.page.path)}`);
  if (filter.q !== undefined) parts.push(`search @@ websearch_to_tsquery('simple', ${bind(filter.q)})`);
  if (filter.status !== undefined) parts.push(`status = ${bind(filter.status)}`);
  if (filter.tag !== undefined) parts.push(`tags @> ARRAY[${bind(filter.tag)}::text]`);
  if (filter.comment !== undefined) parts.push(filter.comment ? 'comment IS NOT NULL' : 'comment IS NULL');
  if (filter.sentiment === 'positive') parts.push('sentiment > 0');
  if (filter.sentiment === 'neutral') parts.push('sentiment = 0');
  if (filter.sentiment === 'negative') parts.push('sentiment < 0');
  if (filter.language !== undefined) parts.push(`language = ${bind(filter.language)}`);
  if (filter.visitor !== undefined) parts.push(`anonymous_id = ${bind(filter.visitor)}`);
  if (filter.user !== undefined) parts.push(`user_id = ${bind(filter.user)}`);
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** One page: the rows of `filter` after `cursor`, at most `limit`. */
export function pageQuery(filter: ResponsesFilter, cursor = filter.cursor, limit = filter.limit): BuiltQuery {
  const { where, params } = whereClause(filter);
  let sql = `${SELECT} ${where}`;
  if (cursor) {
    const at = `timestamptz 'epoch' + ${(params.push(cursor.atMicros), `$${params.length}`)}::int8 * interval '1 microsecond'`;
    const id = (params.push(cursor.id), `$${params.length}`);
    // `at <= …` first: a range the (at DESC, id) index can start from; the OR only settles ties.
    sql += `${where ? ' AND' : ' WHERE'} at <= ${at} AND (at < ${at} OR id < ${id})`;
  }
  params.push(limit);
  return { sql: `${sql} ORDER BY at DESC, id DESC LIMIT $${params.length}`, params };
}

export interface ResponsesPage { responses: ResponseRow[]; next: string | null }

/** A page of responses and the cursor of the next (null on the last page). */
export async function listResponses(db: Queryable, filter: ResponsesFilter, cursor = filter.cursor, limit = filter.limit): Promise<ResponsesPage & { last?: ResponsesCursor }> {
  // One row more than asked tells whether another page follows without a count.
  const { sql, params } = pageQuery(filter, cursor, limit + 1);
  const rows = await db.query<DbRow>(sql, params);
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const tail = shown[shown.length - 1];
  const last = tail ? { atMicros: tail.at_micros, id: tail.id } : undefined;
  return { responses: shown.map(toResponse), next: more && last ? encodeCursor(last) : null, last };
}

/** How many responses match `filter` (for the inbox's "N responses"). */
export async function countResponses(db: Queryable, filter: ResponsesFilter): Promise<number> {
  const { where, params } = whereClause(filter);
  const [row] = await db.query<{ n: number }>(`SELECT count(*) AS n FROM fp_responses ${where}`, params);
  return row?.n ?? 0;
}
