// The consumer: takes batches from a source, skips ids it already counted, updates the analysis,
// raises alerts, and checkpoints. Broker acks wait for the checkpoint that includes their events, so
// a crash at any point neither loses an event nor counts one twice.
import { join } from 'node:path';
import type { Alert } from './alerts/evaluate';
import { evaluateRules } from './alerts/evaluate';
import type { Notifier } from './alerts/notifier';
import type { AlertRule } from './alerts/rules';
import type { AlertRuleStates } from './alerts/states';
import type { AlertRecord, AlertStore } from './alerts/store';
import { alertProject, applyProjectEvent, DEFAULT_MAX_PROJECTS, projectsFromJson, projectsToJson, type ProjectAnalyses } from './analysis/projects';
import { applyEvent, createAnalysis, type AnalysisState } from './analysis/state';
import { loadCheckpoint, writeAtomically, type Checkpoint } from './checkpoint';
import { emptyRecord } from './records';
import { SeenIds } from './seen-ids';
import type { ConsumerSource, Delivery } from './sources/source';
import type { ConsumedEvent } from './types';

export interface ConsumerOptions {
  source: ConsumerSource;
  /** Folder for the checkpoint (FEEDPULSE_DATA/consumer). */
  dir: string;
  rules: AlertRule[];
  alerts: AlertStore;
  notifier: Notifier;
  /** Save at most this often while events flow (default 1000 ms); always on stop. */
  checkpointEveryMs?: number;
  /** Save sooner when this many broker acks wait (default 1000); keep below the broker prefetch. */
  checkpointEveryAcks?: number;
  /** How many recent ids the idempotence guard remembers (default 20,000). */
  seenCapacity?: number;
  /**
   * Alert-worthy events from a visitor who already has an alert from the last this-many minutes
   * (event time) join that alert instead of raising another (default 30; 0 = every event alerts).
   */
  sameVisitorMinutes?: number;
  /** Projects with their own figures (the dashboard's project filter); more are counted in "all" only (default 50). */
  maxProjects?: number;
  /** Projects whose alerts are shown but never webhooked (the dashboard's simulated traffic). */
  quietProject?: (project: string) => boolean;
}

export interface ProcessedBatch {
  /** Events counted in this batch (duplicates excluded). */
  counted: number;
  duplicates: number;
  /** Events skipped because analysing them failed (each logged with its id). */
  failed: number;
  /** Ids of counted events, in order. */
  ids: string[];
  alerts: AlertRecord[];
}

export interface Consumer {
  readonly source: ConsumerSource;
  readonly analysis: AnalysisState;
  /** The same figures per project (the first `maxProjects` projects seen). */
  readonly projects: ProjectAnalyses;
  /** Events counted since the very first start (restored from the checkpoint). */
  processed(): number;
  duplicates(): number;
  /** Events skipped since this start because analysing them threw (each logged with its id). */
  failed(): number;
  position(): number;
  onBatch(listener: (batch: ProcessedBatch) => void): () => void;
  /** Writes the checkpoint now and acks what it covers. */
  checkpoint(): Promise<void>;
  stop(): Promise<void>;
}

export async function startConsumer(options: ConsumerOptions): Promise<Consumer> {
  const { source, rules, alerts, notifier, checkpointEveryMs = 1000, checkpointEveryAcks = 1000, sameVisitorMinutes = 30 } = options;
  const file = join(options.dir, `${source.id}.checkpoint.json`);
  const saved: Checkpoint | undefined = await loadCheckpoint(file);
  const analysis = saved?.analysis ?? createAnalysis();
  const projects = projectsFromJson(saved?.projects);
  const maxProjects = options.maxProjects ?? DEFAULT_MAX_PROJECTS;
  const ruleStates: AlertRuleStates = saved?.ruleStates ?? emptyRecord();
  const seen = new SeenIds(options.seenCapacity ?? 20_000, saved?.seenIds ?? []);
  let position = saved?.position ?? 0;
  let processed = saved?.processed ?? 0;
  let duplicates = 0;
  let failed = 0;
  let pendingAcks: (() => void)[] = [];
  let dirty = false;
  let lastSave = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();
  let stopped = false;
  const listeners = new Set<(batch: ProcessedBatch) => void>();

  function checkpoint(): Promise<void> {
    if (timer) { clearTimeout(timer); timer = undefined; }
    if (!dirty && !pendingAcks.length) return saving;
    // Snapshot and the acks it covers are taken together, synchronously.
    const json = JSON.stringify({
      version: 1, source: source.id, position, processed, analysis, projects: projectsToJson(projects), ruleStates,
      seenIds: seen.toArray(), savedAt: new Date().toISOString(),
    } satisfies Checkpoint);
    const acks = pendingAcks;
    pendingAcks = [];
    dirty = false;
    lastSave = Date.now();
    // Alerts of the events in this snapshot are queued already; they must be on disk before the
    // checkpoint says those events are done, or a crash in between would lose the alert.
    const alertsWritten = alerts.flushed();
    const alertMark = alerts.mark();
    saving = saving.then(() => alertsWritten).then(() => writeAtomically(file, json)).then(() => {
      for (const ack of acks) ack();
      // The events of alerts up to here are now past the checkpoint: never replayed, so the
      // alert log may drop the oldest of them (it keeps the newest N). Not awaited: acks and
      // the next batch need not wait for a compaction.
      void alerts.release(alertMark).catch(() => undefined);
    }).catch((err: Error) => {
      // Their acks wait for the next checkpoint that succeeds (RabbitMQ would otherwise hold them
      // unacked until the channel closes, and stop delivering once the prefetch is used up).
      console.error(`feedpulse consumer: checkpoint failed: ${err.message}`);
      pendingAcks = acks.concat(pendingAcks);
      dirty = true;
      if (!stopped) timer ??= setTimeout(() => { timer = undefined; void checkpoint(); }, checkpointEveryMs);
    });
    return saving;
  }

  function scheduleCheckpoint(): Promise<void> | undefined {
    const due = Date.now() - lastSave >= checkpointEveryMs || pendingAcks.length >= checkpointEveryAcks;
    if (due) return checkpoint();
    timer ??= setTimeout(() => { timer = undefined; void checkpoint(); }, checkpointEveryMs);
    return undefined;
  }

  /**
   * Files the alert in the store at once (so the next event of the visitor sees it) and returns the
   * write: a new alert's record once it is on disk, or null when this event already has one or
   * joins its visitor's recent alert. The batch waits for all its writes together (one sync).
   */
  function raise(alert: Alert): Promise<AlertRecord | null> {
    // Whether it is quiet is decided by its own project name, before it may join the shared bucket.
    const quiet = options.quietProject?.(alert.project) ?? false;
    // The alert store and the dashboard list alerts by project for projects with figures only, so
    // a flood of made-up project names cannot grow them: the others share one bucket.
    alert.project = alertProject(projects, alert.project);
    if (alerts.has(alert.id)) return Promise.resolve(null);
    const prior = alerts.latestFor(alert.anonymousId);
    if (prior && sameVisitorMinutes > 0 && alert.at >= prior.alert.at && alert.at - prior.alert.at <= sameVisitorMinutes * 60_000) {
      return alerts.fold(prior, alert.id).then(() => null);
    }
    return alerts.add(alert, quiet || !notifier.enabled ? 'off' : notifier.fresh(alert) ? 'pending' : 'stale');
  }

  /**
   * Applies one event and evaluates the rules. An event that makes the analysis throw is skipped,
   * counted and logged with its id; it never costs the other events of its batch.
   */
  function analyse(event: ConsumedEvent, result: ProcessedBatch): Alert | null {
    try {
      const insight = applyEvent(analysis, event);
      applyProjectEvent(projects, event, insight, maxProjects);
      const alert = evaluateRules(rules, ruleStates, event, insight);
      processed++;
      result.counted++;
      result.ids.push(event.id);
      return alert;
    } catch (err) {
      failed++;
      result.failed++;
      console.error(JSON.stringify({ level: 'error', msg: 'feedpulse consumer: event skipped, analysing it failed', id: event.id, type: String(event.type), error: (err as Error).message }));
      return null;
    }
  }

  async function handle(batch: Delivery[]): Promise<void> {
    const result: ProcessedBatch = { counted: 0, duplicates: 0, failed: 0, ids: [], alerts: [] };
    const writes: Promise<AlertRecord | null>[] = [];
    for (const delivery of batch) {
      const { event } = delivery;
      // Each event is applied, remembered and positioned in one synchronous step, so any
      // checkpoint taken between two events (or while an alert is being written) is consistent.
      let alert: Alert | null = null;
      if (seen.has(event.id)) {
        result.duplicates++;
        duplicates++;
      } else {
        alert = analyse(event, result);
        seen.add(event.id);
      }
      if (delivery.position !== undefined) position = delivery.position;
      if (delivery.ack) pendingAcks.push(delivery.ack);
      dirty = true;
      if (alert) writes.push(raise(alert));
    }
    // The whole batch is applied synchronously above; its alert writes share one group commit.
    for (const outcome of await Promise.allSettled(writes)) {
      if (outcome.status === 'rejected') {
        console.error(`feedpulse consumer: writing an alert failed: ${(outcome.reason as Error).message}`);
        continue;
      }
      const record = outcome.value;
      if (!record) continue;
      result.alerts.push(record);
      // Sent only once on disk: a crash after the POST cannot raise (and send) it a second time.
      if (record.delivery === 'pending') notifier.send(record);
    }
    for (const listener of listeners) {
      try { listener(result); } catch (err) { console.error(`feedpulse consumer: listener failed: ${(err as Error).message}`); }
    }
    await scheduleCheckpoint();
  }

  await source.start(position, handle);

  return {
    source,
    analysis,
    projects,
    processed: () => processed,
    duplicates: () => duplicates,
    failed: () => failed,
    position: () => position,
    onBatch(listener) { listeners.add(listener); return () => { listeners.delete(listener); }; },
    checkpoint,
    async stop() {
      if (timer) clearTimeout(timer);
      await source.stop();
      await checkpoint();
      stopped = true;
      if (timer) clearTimeout(timer);
      await source.close();
    },
  };
}
