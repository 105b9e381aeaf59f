// The consumer (a worker): takes batches from a source and writes each into the analysis database
// in ONE transaction: the events (exact dedupe by id, counters, inbox rows), the alert rules for
// the events counted, the alerts filed, and for the embedded log the position to resume from.
// Only after the commit are the broker messages acked (Kafka offsets committed), and only then are
// webhooks sent. Nothing is kept in memory between batches that a restart would need: a worker
// killed at any moment loses nothing (what was not committed is delivered again) and counts
// nothing twice (what was committed is an fp_seen duplicate), so any number of workers can share
// one queue, durable consumer or consumer group.
import { defaultLogger, type Logger } from '../server/logger';
import { evaluateRules, type Alert } from './alerts/evaluate';
import { checkDrop } from './alerts/drop';
import type { Notifier } from './alerts/notifier';
import type { AlertRule, DropRule } from './alerts/rules';
import { DEFAULT_ALERTS_KEEP, fileAlerts, type AlertRecord } from './db/alerts';
import type { Database, Queryable } from './db/database';
import { dbText, type EventRows } from './db/deltas';
import { ALL_PROJECTS, KEY_CHARS, METRIC, OTHER_PROJECTS } from './db/metrics';
import { DEFAULT_MAX_PROJECTS, writeBatch } from './db/write';
import type { ConsumerSource, Delivery } from './sources/source';
import type { ConsumedEvent } from './types';

export interface ConsumerOptions {
  source: ConsumerSource;
  db: Database;
  rules: AlertRule[];
  notifier: Notifier;
  /**
   * Alert-worthy events from a visitor who already has an alert from the last this-many minutes
   * (event time) join that alert instead of raising another (default 30; 0 = every event alerts).
   */
  sameVisitorMinutes?: number;
  /** Projects with their own figures (the dashboard's project filter); more are counted in "all" only (default 50). */
  maxProjects?: number;
  /** Alerts kept, newest first (default 1000); older ones are counted, not listed. */
  alertsKeep?: number;
  /** Projects whose alerts are shown but never webhooked (the dashboard's simulated traffic). */
  quietProject?: (project: string) => boolean;
  /** Longest wait between two tries while the database cannot be reached (default 10 s). */
  maxRetryMs?: number;
  /** Awaited after each batch is committed and acked, before its counts and `onBatch` (copies of database state). */
  afterCommit?: (batch: ProcessedBatch) => Promise<void>;
  /** Where failures are written (default: JSON lines on stdout, src/server/logger.ts). */
  log?: Logger;
}

export interface ProcessedBatch {
  /** Events counted in this batch (duplicates excluded). */
  counted: number;
  duplicates: number;
  /** Events skipped because their rows could not be worked out or the database refused them (each logged with its id). */
  failed: number;
  /** Ids of counted events, in order. */
  ids: string[];
  alerts: AlertRecord[];
  /** Alert-worthy events that joined their visitor's recent alert. */
  folded: number;
}

export interface Consumer {
  readonly source: ConsumerSource;
  /** Events counted by all workers before this start, plus those this worker counted since. */
  processed(): number;
  duplicates(): number;
  /** Events skipped since this start (each logged with its id). */
  failed(): number;
  /** Embedded log: the offset this worker resumes from (0 for brokers, which keep their own). */
  position(): number;
  /** Called after each committed and acked batch, once its counts are in `processed()` etc. */
  onBatch(listener: (batch: ProcessedBatch) => void): () => void;
  stop(): Promise<void>;
}

/** What one committed transaction did. */
interface Committed { rows: EventRows[]; events: Map<string, ConsumedEvent>; duplicates: number; failed: number; alerts: AlertRecord[]; folded: number }

export async function startConsumer(options: ConsumerOptions): Promise<Consumer> {
  const { source, db, rules, notifier, sameVisitorMinutes = 30, maxRetryMs = 10_000, log = defaultLogger } = options;
  /** `why`: its rows could not be worked out, or the database refused them. */
  const logSkipped = (id: string, type: string, error: string, why: 'unreadable' | 'refused') =>
    log({ level: 'error', msg: 'event_skipped', why, id, type, error });
  const maxProjects = options.maxProjects ?? DEFAULT_MAX_PROJECTS;
  const keep = Math.max(10, Math.floor(options.alertsKeep ?? DEFAULT_ALERTS_KEEP));
  const dropRules = rules.filter((r): r is DropRule => r.type === 'drop');
  const [saved] = await db.query<{ position: number }>('SELECT position FROM fp_positions WHERE source = $1', [source.id]);
  const [total] = await db.query<{ n: number | null }>(
    "SELECT sum(count) AS n FROM fp_rollups WHERE project = $1 AND grain = 'day' AND metric = $2", [ALL_PROJECTS, METRIC.events],
  );
  let position = Number(saved?.position ?? 0);
  let processed = Number(total?.n ?? 0);
  let duplicates = 0;
  let failed = 0;
  let stopping = false;
  const listeners = new Set<(batch: ProcessedBatch) => void>();

  /** The alerts of the counted events: per-event rules, and each drop rule once for the batch. */
  async function alertsOf(tx: Queryable, counted: EventRows[], events: Map<string, ConsumedEvent>, projectOf: Map<string, string | null>): Promise<Alert[]> {
    const dropFired = new Map<string, Map<string, string>>();
    for (const rule of dropRules) {
      // The batch's newest rating on the rule's scale carries the alert.
      let newest: EventRows | undefined;
      for (const rows of counted) if (rows.insight.feedback?.scale === rule.scale && (!newest || rows.insight.at >= newest.insight.at)) newest = rows;
      if (!newest) continue;
      const detail = await checkDrop(tx, rule, newest.insight.at);
      if (!detail) continue;
      const fired = dropFired.get(newest.id) ?? new Map<string, string>();
      fired.set(rule.name, detail);
      dropFired.set(newest.id, fired);
    }
    const alerts: Alert[] = [];
    for (const rows of counted) {
      const event = events.get(rows.id);
      if (!event) continue;
      const alert = evaluateRules(rules, event, rows.insight, dropFired.get(rows.id));
      if (!alert) continue;
      // Stored as the database can hold it; filed under its project when that has figures of its
      // own, else in the shared bucket (bounding the per-project alert lists and counts).
      alerts.push({
        ...alert, id: rows.id, project: projectOf.get(rows.id) ?? OTHER_PROJECTS,
        anonymousId: dbText(alert.anonymousId, 200), path: dbText(alert.path, 2000),
      });
    }
    return alerts;
  }

  const isQuiet = (event: ConsumedEvent | undefined) => Boolean(event && options.quietProject?.(String(event.project)));

  /** One transaction for the whole batch; throws (rolled back, nothing acked) when it fails. */
  function commit(batch: Delivery[]): Promise<Committed> {
    return db.transaction(async (tx) => {
      const written = await writeBatch(tx, batch.map((d) => d.event), { maxProjects });
      const events = new Map<string, ConsumedEvent>();
      for (const d of batch) events.set(dbText(String(d.event.id), KEY_CHARS), d.event);
      for (const f of written.failed) logSkipped(f.id, String(events.get(dbText(f.id, KEY_CHARS))?.type), f.error, 'unreadable');
      const alerts = await alertsOf(tx, written.counted, events, written.projectOf);
      const filed = await fileAlerts(tx, alerts, {
        sameVisitorMinutes, keep,
        // Whether it is quiet is decided by its own project name, not the bucket it is filed under.
        delivery: (alert) => (isQuiet(events.get(alert.id)) || !notifier.enabled ? 'off' : notifier.fresh(alert) ? 'pending' : 'stale'),
        claim: notifier.enabled ? { owner: notifier.owner, leaseMs: notifier.leaseMs } : undefined,
      });
      const last = batch[batch.length - 1]?.position;
      if (last !== undefined) await savePosition(tx, last);
      return { rows: written.counted, events, duplicates: written.duplicates, failed: written.failed.length, alerts: filed.records, folded: filed.folded };
    });
  }

  const savePosition = (q: Queryable, at: number) => q.query(
    'INSERT INTO fp_positions (source, position) VALUES ($1, $2) ON CONFLICT (source) DO UPDATE SET position = greatest(fp_positions.position, excluded.position)',
    [source.id, at],
  );

  const reachable = async () => { try { await db.query('SELECT 1'); return true; } catch { return false; } };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /**
   * Commits the batch; when that fails: while the database cannot be reached, waits and tries the
   * batch again (nothing is acked meanwhile); when it can, the batch is committed event by event,
   * so an event the database refuses costs only itself (skipped, logged, acked).
   */
  async function commitWithRetry(batch: Delivery[]): Promise<Committed[]> {
    let wait = 200;
    for (;;) {
      try {
        return [await commit(batch)];
      } catch (err) {
        if (await reachable()) {
          if (batch.length > 1) {
            const parts: Committed[] = [];
            for (const delivery of batch) parts.push(...await commitWithRetry([delivery]));
            return parts;
          }
          const only = batch[0]!;
          logSkipped(String(only.event.id), String(only.event.type), (err as Error).message, 'refused');
          if (only.position !== undefined) await savePosition(db, only.position).catch(() => undefined);
          return [{ rows: [], events: new Map(), duplicates: 0, failed: 1, alerts: [], folded: 0 }];
        }
        if (stopping) throw new Error(`the database cannot be reached (${(err as Error).message}); the batch is not acked`);
        log({ level: 'error', msg: 'database_unreachable', error: (err as Error).message, retryInMs: wait });
        await sleep(wait);
        wait = Math.min(maxRetryMs, wait * 2);
      }
    }
  }

  async function handle(batch: Delivery[]): Promise<void> {
    if (!batch.length) return;
    const parts = await commitWithRetry(batch);
    // Committed: now the broker may forget these messages, and the alerts may go out.
    for (const delivery of batch) delivery.ack?.();
    const last = batch[batch.length - 1]!.position;
    if (last !== undefined) position = Math.max(position, last);
    const result: ProcessedBatch = { counted: 0, duplicates: 0, failed: 0, ids: [], alerts: [], folded: 0 };
    for (const part of parts) {
      result.counted += part.rows.length;
      result.duplicates += part.duplicates;
      result.failed += part.failed;
      for (const rows of part.rows) result.ids.push(rows.id);
      result.alerts.push(...part.alerts);
      result.folded += part.folded;
      for (const record of part.alerts) if (record.delivery === 'pending') notifier.send(record);
    }
    try { await options.afterCommit?.(result); } catch (err) { log({ level: 'error', msg: 'after_commit_failed', error: (err as Error).message }); }
    processed += result.counted;
    duplicates += result.duplicates;
    failed += result.failed;
    for (const listener of listeners) {
      try { listener(result); } catch (err) { log({ level: 'error', msg: 'listener_failed', error: (err as Error).message }); }
    }
  }

  await source.start(position, handle);

  return {
    source,
    processed: () => processed,
    duplicates: () => duplicates,
    failed: () => failed,
    position: () => position,
    onBatch(listener) { listeners.add(listener); return () => { listeners.delete(listener); }; },
    async stop() {
      stopping = true;
      await source.stop();
      await source.close();
    },
  };
}
