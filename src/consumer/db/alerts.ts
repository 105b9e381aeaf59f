// Alerts in the analysis database (fp_alerts, docs/database.md): filed by the worker in the
// transaction that counts their events, read by the dashboard, claimed and updated by the webhook
// notifier. "One visitor, one alert in sameVisitorMinutes" holds across workers: a worker filing
// alerts takes an advisory lock per visitor (all of a batch's in one sorted order, so two workers
// never deadlock) before it looks for the visitor's recent alert, and holds it to its commit.
import type { Alert, AlertMatch } from '../alerts/evaluate';
import type { Queryable } from './database';
import { defaultLogger } from '../../server/logger';

/** `off`: no webhook configured (or a quiet project); `stale`: the feedback was older than the notifier's send window. */
export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'off' | 'stale';
export interface AlertRecord {
  alert: Alert;
  raisedAt: string;
  delivery: DeliveryState;
  attempts: number;
  error?: string;
  /** How many later events of the same visitor were folded into this alert (no alert of their own). */
  folded: number;
}

/** What the dashboard reads. */
export interface AlertReader {
  /** Newest first; only alerts of `project` when given. */
  list(limit: number, project?: string): Promise<AlertRecord[]>;
  /** Every alert ever raised (also those dropped by the bound); of `project` when given. */
  count(project?: string): Promise<number>;
  /** Projects with alerts (held or dropped), sorted. */
  projects(): Promise<string[]>;
}

/** Alerts kept (FEEDPULSE_ALERTS_KEEP); older ones are counted in fp_alert_drops. */
export const DEFAULT_ALERTS_KEEP = 1000;
/** Ids of the newest folds kept per alert. */
export const FOLD_IDS_KEPT = 20;
/** First key of the per-visitor advisory locks (the second is hashtext(anonymous id)). */
export const VISITOR_LOCK = 727_002;
/** Held by the worker trimming fp_alerts to the bound (others skip the trim meanwhile). */
const TRIM_LOCK = 727_003;

interface AlertRow {
  id: string; project: string; anonymous_id: string; at: number; severity: Alert['severity']; matches: AlertMatch[]; path: string;
  rating: number | null; scale: Alert['scale'] | null; comment: string | null; raised_at: Date | string; folded: number;
  delivery: DeliveryState; attempts: number; error: string | null;
}
const COLUMNS = 'id, project, anonymous_id, at, severity, matches, path, rating, scale, comment, raised_at, folded, delivery, attempts, error';

export function recordOf(row: AlertRow): AlertRecord {
  const alert: Alert = {
    id: row.id, project: row.project, anonymousId: row.anonymous_id, at: Number(row.at), severity: row.severity,
    matches: typeof row.matches === 'string' ? JSON.parse(row.matches) as AlertMatch[] : row.matches, path: row.path,
    ...(row.rating !== null ? { rating: row.rating } : {}), ...(row.scale !== null ? { scale: row.scale } : {}), ...(row.comment !== null ? { comment: row.comment } : {}),
  };
  return {
    alert, raisedAt: new Date(row.raised_at).toISOString(), delivery: row.delivery, attempts: row.attempts, folded: row.folded,
    ...(row.error !== null ? { error: row.error } : {}),
  };
}

export function alertReader(db: Queryable): AlertReader {
  return {
    async list(limit, project) {
      const rows = project === undefined
        ? await db.query<AlertRow>(`SELECT ${COLUMNS} FROM fp_alerts ORDER BY n DESC LIMIT $1`, [limit])
        : await db.query<AlertRow>(`SELECT ${COLUMNS} FROM fp_alerts WHERE project = $2 ORDER BY n DESC LIMIT $1`, [limit, project]);
      return rows.map(recordOf);
    },
    async count(project) {
      const [row] = project === undefined
        ? await db.query<{ n: number }>('SELECT (SELECT count(*) FROM fp_alerts) + (SELECT coalesce(sum(count), 0) FROM fp_alert_drops) AS n')
        : await db.query<{ n: number }>('SELECT (SELECT count(*) FROM fp_alerts WHERE project = $1) + (SELECT coalesce(sum(count), 0) FROM fp_alert_drops WHERE project = $1) AS n', [project]);
      return Number(row?.n ?? 0);
    },
    async projects() {
      return (await db.query<{ project: string }>('SELECT project FROM fp_alerts UNION SELECT project FROM fp_alert_drops ORDER BY 1')).map((r) => r.project);
    },
  };
}

export interface FilingOptions {
  /** Alert-worthy events of a visitor within this many minutes (event time) of their alert join it (0 = every event alerts). */
  sameVisitorMinutes: number;
  /** Alerts kept; the oldest beyond it are dropped (counted) once a quarter more are held. */
  keep: number;
  delivery(alert: Alert): DeliveryState;
  /** Pending alerts are filed claimed by this notifier, which sends them after the commit. */
  claim?: { owner: string; leaseMs: number };
}

export interface Filed {
  /** The new alerts. */
  records: AlertRecord[];
  /** Alerts that joined their visitor's recent alert instead. */
  folded: number;
}

/**
 * Files `alerts` (in event order) in the caller's transaction; an alert that joins its visitor's
 * recent alert is a fold (counted there, no record of its own).
 */
export async function fileAlerts(tx: Queryable, alerts: readonly Alert[], options: FilingOptions): Promise<Filed> {
  if (!alerts.length) return { records: [], folded: 0 };
  const visitors = [...new Set(alerts.map((a) => a.anonymousId))];
  // Sorted by the lock key, so workers filing overlapping visitors take the locks in one order.
  await tx.query(
    `SELECT count(pg_advisory_xact_lock(${VISITOR_LOCK}, h)) FROM (SELECT DISTINCT hashtext(v) AS h FROM unnest($1::text[]) AS v ORDER BY h) AS keys`,
    [visitors],
  );
  const latest = new Map<string, { id: string; at: number }>();
  if (options.sameVisitorMinutes > 0) {
    const priors = await tx.query<{ id: string; anonymous_id: string; at: number }>(
      'SELECT DISTINCT ON (anonymous_id) id, anonymous_id, at FROM fp_alerts WHERE anonymous_id = ANY($1::text[]) ORDER BY anonymous_id, at DESC', [visitors],
    );
    for (const p of priors) latest.set(p.anonymous_id, { id: p.id, at: Number(p.at) });
  }
  const windowMs = options.sameVisitorMinutes * 60_000;
  const fresh: AlertRecord[] = [];
  const folds = new Map<string, string[]>();
  for (const alert of alerts) {
    const prior = latest.get(alert.anonymousId);
    // Either side of the alert: two workers may commit one visitor's events out of event order.
    if (prior && windowMs > 0 && Math.abs(alert.at - prior.at) <= windowMs) {
      const ids = folds.get(prior.id);
      if (ids) ids.push(alert.id); else folds.set(prior.id, [alert.id]);
      continue;
    }
    fresh.push({ alert, raisedAt: new Date().toISOString(), delivery: options.delivery(alert), attempts: 0, folded: 0 });
    if (!prior || alert.at >= prior.at) latest.set(alert.anonymousId, { id: alert.id, at: alert.at });
  }
  if (fresh.length) {
    const claim = options.claim;
    const rows = fresh.map(({ alert, delivery }) => ({
      id: alert.id, project: alert.project, anonymous_id: alert.anonymousId, at: alert.at, severity: alert.severity, matches: alert.matches,
      path: alert.path, rating: alert.rating ?? null, scale: alert.scale ?? null, comment: alert.comment ?? null, delivery,
      claimed_by: claim && delivery === 'pending' ? claim.owner : null,
    }));
    const inserted = await tx.query<{ id: string; raised_at: Date | string }>(
      `INSERT INTO fp_alerts (id, project, anonymous_id, at, severity, matches, path, rating, scale, comment, delivery, claimed_by, claimed_until)
       SELECT id, project, anonymous_id, at, severity, matches, path, rating, scale, comment, delivery, claimed_by,
              CASE WHEN claimed_by IS NULL THEN NULL ELSE now() + make_interval(secs => $2::float8 / 1000) END
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, project text, anonymous_id text, at bigint, severity text, matches jsonb, path text,
         rating smallint, scale text, comment text, delivery text, claimed_by text)
       ON CONFLICT (id) DO NOTHING RETURNING id, raised_at`,
      [JSON.stringify(rows), claim?.leaseMs ?? 0],
    );
    const raisedAt = new Map(inserted.map((r) => [r.id, new Date(r.raised_at).toISOString()]));
    for (const record of fresh) record.raisedAt = raisedAt.get(record.alert.id) ?? record.raisedAt;
  }
  if (folds.size) {
    const rows = [...folds].map(([id, ids]) => ({ id, n: ids.length, ids: ids.slice(-FOLD_IDS_KEPT) }));
    await tx.query(
      `UPDATE fp_alerts AS a SET folded = a.folded + f.n,
         folded_ids = (a.folded_ids || f.ids)[greatest(1, cardinality(a.folded_ids || f.ids) - ${FOLD_IDS_KEPT - 1}):]
       FROM jsonb_to_recordset($1::jsonb) AS f(id text, n integer, ids text[]) WHERE a.id = f.id`,
      [JSON.stringify(rows)],
    );
  }
  if (fresh.length) await trimAlerts(tx, options.keep);
  return { records: fresh, folded: alerts.length - fresh.length };
}

/**
 * Keeps the newest `keep` alerts: once a quarter more are held, the older ones are deleted and
 * counted per project in fp_alert_drops. One worker at a time (the others skip).
 */
async function trimAlerts(tx: Queryable, keep: number): Promise<void> {
  const slack = Math.max(8, Math.ceil(keep / 4));
  const [held] = await tx.query<{ n: number }>('SELECT count(*) AS n FROM fp_alerts');
  if (Number(held?.n ?? 0) <= keep + slack) return;
  const [lock] = await tx.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(${TRIM_LOCK}) AS ok`);
  if (!lock?.ok) return;
  const dropped = await tx.query<{ project: string; delivery: DeliveryState; id: string }>(
    `DELETE FROM fp_alerts WHERE n <= (SELECT n FROM fp_alerts ORDER BY n DESC OFFSET $1 LIMIT 1) RETURNING project, delivery, id`, [keep],
  );
  const byProject = new Map<string, number>();
  for (const r of dropped) {
    byProject.set(r.project, (byProject.get(r.project) ?? 0) + 1);
    if (r.delivery === 'pending') defaultLogger({ level: 'warn', msg: 'pending_alert_dropped', alert: r.id, keep });
  }
  if (!byProject.size) return;
  const projects = [...byProject.keys()].sort();
  await tx.query(
    `INSERT INTO fp_alert_drops AS d (project, count) SELECT * FROM unnest($1::text[], $2::bigint[])
     ON CONFLICT (project) DO UPDATE SET count = d.count + excluded.count`,
    [projects, projects.map((p) => byProject.get(p)!)],
  );
}

/** Records a delivery outcome and lets go of the claim. */
export async function setDelivery(db: Queryable, id: string, delivery: DeliveryState, attempts: number, error?: string): Promise<void> {
  await db.query('UPDATE fp_alerts SET delivery = $2, attempts = $3, error = $4, claimed_by = NULL, claimed_until = NULL WHERE id = $1', [id, delivery, attempts, error ?? null]);
}

/**
 * Claims up to `limit` pending alerts nobody holds (never claimed, or the claim of a worker that
 * stopped renewing it ran out), oldest first. SKIP LOCKED: two notifiers claiming at once get
 * different alerts.
 */
export async function claimPending(db: Queryable, owner: string, leaseMs: number, limit: number): Promise<AlertRecord[]> {
  if (limit <= 0) return [];
  const rows = await db.query<AlertRow & { n: number }>(
    `UPDATE fp_alerts SET claimed_by = $1, claimed_until = now() + make_interval(secs => $2::float8 / 1000)
     WHERE id IN (SELECT id FROM fp_alerts WHERE delivery = 'pending' AND (claimed_until IS NULL OR claimed_until < now())
                  ORDER BY n LIMIT $3 FOR UPDATE SKIP LOCKED)
     RETURNING n, ${COLUMNS}`,
    [owner, leaseMs, limit],
  );
  return rows.sort((a, b) => Number(a.n) - Number(b.n)).map(recordOf);
}

/** Extends this notifier's claims (while it is alive, nobody else sends them). */
export async function renewClaims(db: Queryable, owner: string, leaseMs: number): Promise<void> {
  await db.query(
    "UPDATE fp_alerts SET claimed_until = now() + make_interval(secs => $2::float8 / 1000) WHERE claimed_by = $1 AND delivery = 'pending'", [owner, leaseMs],
  );
}

/** Lets go of this notifier's unfinished claims (a graceful stop), so another worker sends them at once. */
export async function releaseClaims(db: Queryable, owner: string): Promise<void> {
  await db.query("UPDATE fp_alerts SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $1 AND delivery = 'pending'", [owner]);
}
