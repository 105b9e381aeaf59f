// Retention: raw events (fp_responses, fp_seen) are kept `eventsDays`, minute rollups
// `rollupMinutesHours`, day rollups `rollupDaysDays`; older rows are deleted by pruneExpired, which
// startRetention runs at start and then every `everyMs`. A redelivery of an event older than the
// events' retention is no longer known as a duplicate: keep the broker's own retention shorter
// (docs/dashboard.md, "Retention").
import type { Queryable } from '../db/database';
import { defaultLogger } from '../../server/logger';
import { runPeriodically, type Periodic } from '../../server/periodic';

export interface RetentionOptions {
  /** fp_responses by event time and fp_seen by receive time (env FEEDPULSE_RETENTION_DAYS, default 90). */
  eventsDays?: number;
  /** Minute rollups (default 48 h: the dashboard shows the last 60 minutes). */
  rollupMinutesHours?: number;
  /** Day rollups (default 400 days: a year to compare with, and some). */
  rollupDaysDays?: number;
}

export const RETENTION_DEFAULTS = { eventsDays: 90, rollupMinutesHours: 48, rollupDaysDays: 400 } as const;
const MINUTE = 60_000;
const DAY = 86_400_000;

/** FEEDPULSE_RETENTION_DAYS: a whole number of days ≥ 1, or undefined when unset. */
export function retentionDaysEnv(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value.trim());
  if (!Number.isInteger(n) || n < 1) throw new Error(`FEEDPULSE_RETENTION_DAYS must be a whole number of days ≥ 1, got "${value}"`);
  return n;
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new Error(`retention ${name} must be a number > 0, got ${value}`);
  return value;
}

export interface Pruned { responses: number; seen: number; minuteRollups: number; dayRollups: number }

const deleted = async (db: Queryable, sql: string, params: unknown[]): Promise<number> =>
  (await db.query<{ n: number }>(`WITH gone AS (${sql} RETURNING 1) SELECT count(*) AS n FROM gone`, params))[0]?.n ?? 0;

/** Deletes what is past its retention at `now`; how many rows of each kind. */
export async function pruneExpired(db: Queryable, options: RetentionOptions = {}, now = Date.now()): Promise<Pruned> {
  const eventsDays = positive('eventsDays', options.eventsDays ?? RETENTION_DEFAULTS.eventsDays);
  const minuteHours = positive('rollupMinutesHours', options.rollupMinutesHours ?? RETENTION_DEFAULTS.rollupMinutesHours);
  const dayDays = positive('rollupDaysDays', options.rollupDaysDays ?? RETENTION_DEFAULTS.rollupDaysDays);
  const eventsBefore = new Date(now - eventsDays * DAY).toISOString();
  // Buckets are epoch minutes and epoch days (schema.ts): a bucket goes once it is wholly past.
  const minuteBefore = Math.floor((now - minuteHours * 60 * MINUTE) / MINUTE);
  const dayBefore = Math.floor((now - dayDays * DAY) / DAY);
  return {
    responses: await deleted(db, 'DELETE FROM fp_responses WHERE at < $1::timestamptz', [eventsBefore]),
    seen: await deleted(db, 'DELETE FROM fp_seen WHERE received_at < $1::timestamptz', [eventsBefore]),
    minuteRollups: await deleted(db, `DELETE FROM fp_rollups WHERE grain = 'minute' AND bucket < $1`, [minuteBefore]),
    dayRollups: await deleted(db, `DELETE FROM fp_rollups WHERE grain = 'day' AND bucket < $1`, [dayBefore]),
  };
}

export type Retention = Periodic<Pruned>;

/** Prunes now and every `everyMs` (default hourly); errors go to `onError` and the next run tries again. */
export function startRetention(db: Queryable, options: RetentionOptions & { everyMs?: number; onError?: (err: Error) => void } = {}): Retention {
  // Bad settings fail the start, not every run.
  for (const name of ['eventsDays', 'rollupMinutesHours', 'rollupDaysDays'] as const) positive(name, options[name] ?? RETENTION_DEFAULTS[name]);
  const onError = options.onError ?? ((err: Error) => defaultLogger({ level: 'error', msg: 'retention_failed', error: err.message }));
  return runPeriodically(() => pruneExpired(db, options), positive('everyMs', options.everyMs ?? 3_600_000), onError);
}
