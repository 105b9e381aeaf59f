// The analysis schema (docs/database.md). Migrations are numbered and applied in order, each once,
// inside one transaction under an advisory lock, so workers starting together never race.
import type { Database } from './database';

/** Held while migrating; any number that no other user of the database takes. */
export const MIGRATION_LOCK = 727_001;

/** Each entry is one migration; append, never edit a released one. */
export const MIGRATIONS: readonly string[] = [
  `
  -- Every event id ever counted (within the retention period): the exact dedupe. An event changes
  -- the figures only in the transaction whose INSERT … ON CONFLICT (id) DO NOTHING inserted it.
  CREATE TABLE fp_seen (
    id text PRIMARY KEY,
    received_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX fp_seen_received_at ON fp_seen (received_at);

  -- One row per feedback event: the responses inbox.
  CREATE TABLE fp_responses (
    id text PRIMARY KEY,
    project text NOT NULL,
    at timestamptz NOT NULL,                 -- event time (client ts unless implausible)
    received_at timestamptz NOT NULL,
    scale text NOT NULL,
    score smallint NOT NULL,
    comment text,                            -- NULL without a comment
    path text NOT NULL,
    url text,
    language text,                           -- detected language of the comment
    sentiment real,                          -- AFINN score of the comment
    anonymous_id text NOT NULL,
    user_id text,
    session_id text,
    status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'seen', 'resolved')),
    tags text[] NOT NULL DEFAULT '{}',
    search tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(comment, ''))) STORED
  );
  CREATE INDEX fp_responses_project_at ON fp_responses (project, at DESC, id);
  CREATE INDEX fp_responses_at ON fp_responses (at DESC, id);
  CREATE INDEX fp_responses_search ON fp_responses USING gin (search);
  CREATE INDEX fp_responses_anonymous_id ON fp_responses (anonymous_id);
  CREATE INDEX fp_responses_user_id ON fp_responses (user_id) WHERE user_id IS NOT NULL;

  -- Counters per project ('' = all projects), time bucket and metric: every figure is read from these.
  -- grain 'minute': bucket = epoch minute; grain 'day': bucket = epoch day. key: what is counted
  -- (a score, a type, a page path, a word…), '' when the metric has no key.
  CREATE TABLE fp_rollups (
    project text NOT NULL,
    grain text NOT NULL CHECK (grain IN ('minute', 'day')),
    bucket bigint NOT NULL,
    metric text NOT NULL,
    key text NOT NULL DEFAULT '',
    count bigint NOT NULL DEFAULT 0,
    sum double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (project, grain, bucket, metric, key)
  );
  CREATE INDEX fp_rollups_metric ON fp_rollups (project, metric, grain, bucket);

  -- Projects with figures of their own (the dashboard's project filter): the first maxProjects
  -- seen. Events of the others count under '' (all projects) only.
  CREATE TABLE fp_projects (
    name text PRIMARY KEY,
    first_seen timestamptz NOT NULL DEFAULT now()
  );

  -- The newest label of a counted key (the text of a clicked element), shown beside its count.
  CREATE TABLE fp_labels (
    project text NOT NULL,
    metric text NOT NULL,
    key text NOT NULL,
    label text NOT NULL,
    PRIMARY KEY (project, metric, key)
  );

  -- Where each embedded-log reader resumes (brokers keep their own position, acked after commit).
  CREATE TABLE fp_positions (
    source text PRIMARY KEY,
    position bigint NOT NULL
  );
  `,
  `
  -- Every alert raised (the newest FEEDPULSE_ALERTS_KEEP; fp_alert_drops counts the older ones).
  -- id is the event id: an event is counted once (fp_seen), so it raises at most one alert.
  CREATE TABLE fp_alerts (
    id text PRIMARY KEY,
    n bigint GENERATED ALWAYS AS IDENTITY,   -- order of filing: the dashboard lists newest first
    project text NOT NULL,                   -- its own, or '(other projects)' beyond the project cap
    anonymous_id text NOT NULL,
    at bigint NOT NULL,                      -- event time, epoch ms
    severity text NOT NULL,
    matches jsonb NOT NULL,                  -- [{ rule, type, detail }]
    path text NOT NULL,
    rating smallint,
    scale text,
    comment text,
    raised_at timestamptz NOT NULL DEFAULT now(),
    folded integer NOT NULL DEFAULT 0,       -- later alert-worthy events of the visitor joined here
    folded_ids text[] NOT NULL DEFAULT '{}', -- the newest 20 of them
    delivery text NOT NULL CHECK (delivery IN ('off', 'pending', 'delivered', 'failed', 'stale')),
    attempts integer NOT NULL DEFAULT 0,
    error text,
    claimed_by text,                         -- the worker sending it while claimed_until is ahead
    claimed_until timestamptz
  );
  CREATE UNIQUE INDEX fp_alerts_n ON fp_alerts (n);
  CREATE INDEX fp_alerts_visitor ON fp_alerts (anonymous_id, at DESC);
  CREATE INDEX fp_alerts_project_n ON fp_alerts (project, n DESC);
  CREATE INDEX fp_alerts_pending ON fp_alerts (n) WHERE delivery = 'pending';

  -- Alerts dropped by the bound, per project: counted, no longer listed.
  CREATE TABLE fp_alert_drops (
    project text PRIMARY KEY,
    count bigint NOT NULL DEFAULT 0
  );

  -- State of stateful alert rules (the rating drop's quiet period), locked FOR UPDATE when used.
  CREATE TABLE fp_rule_states (
    rule text PRIMARY KEY,
    quiet_until bigint NOT NULL DEFAULT 0    -- epoch ms (event time)
  );
  `,
  `
  -- The inbox reads newest first with the id breaking ties (ORDER BY at DESC, id DESC): indexes in
  -- that same order, so a page is an index range scan without a sort.
  DROP INDEX fp_responses_project_at;
  DROP INDEX fp_responses_at;
  CREATE INDEX fp_responses_project_at ON fp_responses (project, at DESC, id DESC);
  CREATE INDEX fp_responses_at ON fp_responses (at DESC, id DESC);
  `,
];

export async function migrate(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('CREATE TABLE IF NOT EXISTS fp_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const [row] = await tx.query<{ version: number | null }>('SELECT max(version) AS version FROM fp_migrations');
    const done = row?.version ?? 0;
    if (done > MIGRATIONS.length) throw new Error(`the database schema is version ${done}, newer than this Feedpulse knows (${MIGRATIONS.length}): upgrade Feedpulse`);
    for (let version = done + 1; version <= MIGRATIONS.length; version++) {
      await tx.exec(MIGRATIONS[version - 1]!);
      await tx.query('INSERT INTO fp_migrations (version) VALUES ($1)', [version]);
    }
  });
}
