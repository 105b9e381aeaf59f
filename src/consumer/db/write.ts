// One batch of events into the database, inside the caller's transaction: the ids first (the
// exact dedupe), then — for the events whose id was new — their counters, inbox rows and labels,
// and a notification for the dashboards, which PostgreSQL delivers when the transaction commits.
// Counter rows are written in one sorted order, so workers writing the same rows at once wait for
// each other instead of deadlocking.
import type { Queryable } from './database';
import { eventRows, type EventRows } from './deltas';
import { ALL_PROJECTS } from './metrics';
import type { ConsumedEvent } from '../types';

/** NOTIFY channel of committed batches; the payload is a JSON list of the projects they changed ('' = all). */
export const CHANGES_CHANNEL = 'feedpulse_changes';
/** Beyond this many projects in one batch the payload says "*" (NOTIFY payloads stop at 8,000 bytes). */
const MAX_NOTIFIED_PROJECTS = 50;

export interface WriteOptions {
  /** Projects with figures of their own, the first this many seen (default 50). */
  maxProjects?: number;
}

export interface WrittenBatch {
  /** The events counted by this transaction, in batch order (new ids only). */
  counted: EventRows[];
  /** Events whose id was counted before (by any worker, at any time within the retention). */
  duplicates: number;
  /** Events that could not be read into rows (each is counted nowhere; the caller logs them). */
  failed: { id: string; error: string }[];
  /** Project of each counted event as its figures and alerts are filed: its own, or null (all only). */
  projectOf: Map<string, string | null>;
}

export const DEFAULT_MAX_PROJECTS = 50;

export async function writeBatch(tx: Queryable, events: readonly ConsumedEvent[], options: WriteOptions = {}): Promise<WrittenBatch> {
  const maxProjects = options.maxProjects ?? DEFAULT_MAX_PROJECTS;
  const failed: WrittenBatch['failed'] = [];
  const candidates = new Map<string, EventRows>();
  let duplicates = 0;
  for (const event of events) {
    let rows: EventRows;
    try {
      rows = eventRows(event);
    } catch (err) {
      failed.push({ id: String(event.id), error: (err as Error).message });
      continue;
    }
    // The same id twice in one batch (a quick resend) is one event.
    if (candidates.has(rows.id)) duplicates++;
    else candidates.set(rows.id, rows);
  }
  const inserted = candidates.size
    ? new Set((await tx.query<{ id: string }>(
      'INSERT INTO fp_seen (id) SELECT unnest($1::text[]) ON CONFLICT (id) DO NOTHING RETURNING id', [[...candidates.keys()]],
    )).map((row) => row.id))
    : new Set<string>();
  duplicates += candidates.size - inserted.size;
  const counted = [...candidates.values()].filter((rows) => inserted.has(rows.id));

  const withFigures = await projectsWithFigures(tx, counted, maxProjects);
  const projectOf = new Map<string, string | null>();
  for (const rows of counted) projectOf.set(rows.id, rows.project !== null && withFigures.has(rows.project) ? rows.project : null);

  await addCounters(tx, counted, projectOf);
  await insertResponses(tx, counted);
  await setLabels(tx, counted, projectOf);
  if (counted.length) {
    const changed = [...new Set([ALL_PROJECTS, ...counted.map((rows) => projectOf.get(rows.id)).filter((p): p is string => p != null)])];
    await tx.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, changed.length > MAX_NOTIFIED_PROJECTS ? '"*"' : JSON.stringify(changed)]);
  }
  return { counted, duplicates, failed, projectOf };
}

/**
 * The projects of these events that have figures of their own, taking in new ones while fewer than
 * `maxProjects` have. Two workers taking in projects at the same moment may pass the cap by one each.
 */
async function projectsWithFigures(tx: Queryable, counted: EventRows[], maxProjects: number): Promise<Set<string>> {
  const names = [...new Set(counted.map((rows) => rows.project).filter((p): p is string => p !== null))];
  if (!names.length) return new Set();
  const known = new Set((await tx.query<{ name: string }>('SELECT name FROM fp_projects WHERE name = ANY($1::text[])', [names])).map((r) => r.name));
  for (const name of names) {
    if (known.has(name)) continue;
    const added = await tx.query(
      'INSERT INTO fp_projects (name) SELECT $1 WHERE (SELECT count(*) FROM fp_projects) < $2 ON CONFLICT (name) DO NOTHING RETURNING name',
      [name, maxProjects],
    );
    if (added.length) known.add(name);
  }
  return known;
}

/** Where a counted event's rows go: all projects, and its own project when it has figures. */
const targetsOf = (project: string | null | undefined): string[] => (project == null ? [ALL_PROJECTS] : [ALL_PROJECTS, project]);

async function addCounters(tx: Queryable, counted: EventRows[], projectOf: Map<string, string | null>): Promise<void> {
  const sums = new Map<string, { project: string; grain: string; bucket: number; metric: string; key: string; count: number; sum: number }>();
  for (const rows of counted) {
    const project = projectOf.get(rows.id);
    for (const target of targetsOf(project)) {
      for (const d of rows.deltas) {
        // Parts hold no NUL (deltas.ts dbText), so NUL separates them unambiguously.
        const id = `${target}\0${d.grain}\0${d.bucket}\0${d.metric}\0${d.key}`;
        const row = sums.get(id);
        if (row) { row.count += d.count; row.sum += d.sum; } else sums.set(id, { project: target, grain: d.grain, bucket: d.bucket, metric: d.metric, key: d.key, count: d.count, sum: d.sum });
      }
    }
  }
  if (!sums.size) return;
  const ordered = [...sums.keys()].sort().map((id) => sums.get(id)!);
  await tx.query(
    `INSERT INTO fp_rollups AS r (project, grain, bucket, metric, key, count, sum)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::bigint[], $7::float8[])
     ON CONFLICT (project, grain, bucket, metric, key) DO UPDATE SET count = r.count + excluded.count, sum = r.sum + excluded.sum`,
    [ordered.map((r) => r.project), ordered.map((r) => r.grain), ordered.map((r) => r.bucket), ordered.map((r) => r.metric),
      ordered.map((r) => r.key), ordered.map((r) => r.count), ordered.map((r) => r.sum)],
  );
}

async function insertResponses(tx: Queryable, counted: EventRows[]): Promise<void> {
  const responses = counted.map((rows) => rows.response).filter((r) => r !== undefined);
  if (!responses.length) return;
  await tx.query(
    `INSERT INTO fp_responses (id, project, at, received_at, scale, score, comment, path, url, language, sentiment, anonymous_id, user_id, session_id)
     SELECT id, project, at, received_at, scale, score, comment, path, url, language, sentiment, anonymous_id, user_id, session_id
     FROM jsonb_to_recordset($1::jsonb) AS r(id text, project text, at timestamptz, received_at timestamptz, scale text, score smallint,
       comment text, path text, url text, language text, sentiment real, anonymous_id text, user_id text, session_id text)
     ON CONFLICT (id) DO NOTHING`,
    [JSON.stringify(responses)],
  );
}

async function setLabels(tx: Queryable, counted: EventRows[], projectOf: Map<string, string | null>): Promise<void> {
  const labels = new Map<string, { project: string; metric: string; key: string; label: string }>();
  for (const rows of counted) {
    if (!rows.label) continue;
    const project = projectOf.get(rows.id);
    for (const target of targetsOf(project)) {
      labels.set(`${target}\0${rows.label.metric}\0${rows.label.key}`, { project: target, ...rows.label });
    }
  }
  if (!labels.size) return;
  const ordered = [...labels.keys()].sort().map((id) => labels.get(id)!);
  await tx.query(
    `INSERT INTO fp_labels AS l (project, metric, key, label)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT (project, metric, key) DO UPDATE SET label = excluded.label`,
    [ordered.map((l) => l.project), ordered.map((l) => l.metric), ordered.map((l) => l.key), ordered.map((l) => l.label)],
  );
}
