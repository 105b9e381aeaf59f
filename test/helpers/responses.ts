// Rows of the responses inbox for tests, written straight into fp_responses (what the consumer's
// write does for each feedback event), and many at once with generate_series for the export tests.
import type { Queryable } from '../../src/consumer/db/database';
import { parseResponsesFilter, type ResponsesFilter } from '../../src/consumer/responses/filters';

export interface TestResponse {
  id: string;
  project?: string;
  at: Date | string;
  scale?: string;
  score?: number;
  comment?: string | null;
  path?: string;
  url?: string | null;
  language?: string | null;
  sentiment?: number | null;
  anonymousId?: string;
  userId?: string | null;
  sessionId?: string | null;
}

export async function insertResponses(db: Queryable, rows: readonly TestResponse[]): Promise<void> {
  for (const r of rows) {
    const at = typeof r.at === 'string' ? r.at : r.at.toISOString();
    await db.query(
      `INSERT INTO fp_responses (id, project, at, received_at, scale, score, comment, path, url, language, sentiment, anonymous_id, user_id, session_id)
       VALUES ($1, $2, $3::timestamptz, $3::timestamptz, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [r.id, r.project ?? 'shop', at, r.scale ?? 'stars', r.score ?? 4, r.comment ?? null, r.path ?? '/', r.url ?? null,
        r.language ?? null, r.sentiment ?? null, r.anonymousId ?? 'anon-1', r.userId ?? null, r.sessionId ?? null],
    );
  }
}

/**
 * `count` rows of project `project`, one second apart going back from `newest`, ids `${prefix}-<n>`
 * (n = 1 newest), every row a comment of `commentBytes` characters. One INSERT … SELECT.
 */
export async function insertManyResponses(db: Queryable, options: { count: number; project?: string; prefix?: string; newest?: Date; commentBytes?: number }): Promise<void> {
  const { count, project = 'bulk', prefix = 'bulk', newest = new Date(), commentBytes = 40 } = options;
  await db.query(
    `INSERT INTO fp_responses (id, project, at, received_at, scale, score, comment, path, language, sentiment, anonymous_id)
     SELECT $1 || '-' || n, $2, $3::timestamptz - n * interval '1 second', $3::timestamptz, 'stars', 1 + n % 5,
            left(repeat('word' || n || ' ', $5), $5), '/p/' || (n % 100), 'en', (n % 3) - 1, 'anon-' || (n % 1000)
     FROM generate_series(1, $4::int) AS n`,
    [prefix, project, newest.toISOString(), count, commentBytes],
  );
}

/** The filter of a query string, as the responses API parses it; throws its message when refused. */
export function filterOf(query: string): ResponsesFilter {
  const parsed = parseResponsesFilter(new URLSearchParams(query));
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.filter;
}
