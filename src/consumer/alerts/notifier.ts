// Sends alerts to the webhook (FEEDPULSE_WEBHOOK_URL) a few at a time and records the outcome in
// the database (fp_alerts.delivery). Any number of workers share the work: an alert is sent by the
// notifier that holds its claim (claimed_by, with a lease it renews while it is alive), so it is
// never sent twice while that worker lives, and the alerts of a worker that was killed are claimed
// and sent by another (or by it, after a restart) once the lease runs out. A worker files its own
// pending alerts already claimed and hands them over after the commit (`send`); a poll picks up
// the rest.
// A webhook is a call to act now: an alert whose feedback is older than `sendWithinMinutes` (a
// consumer replaying last week's log, simulated history, an outage longer than that) is kept on
// the dashboard but not sent, and a failing webhook is retried until the alert gets that old. The
// queue is bounded (`maxQueued`): a webhook slower than the alerts coming in would otherwise hold
// every alert in memory; the oldest waiting alert is let go first (marked `failed`, with the reason).
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database';
import { claimPending, releaseClaims, renewClaims, setDelivery, type AlertRecord } from '../db/alerts';
import { slackMessage } from './slack';
import { postWithRetry, type DeliveryOptions } from './webhook';
import { defaultLogger, type Logger } from '../../server/logger';

export interface NotifierOptions {
  /** Where failures go (default: JSON lines on stdout). */
  log?: Logger;
  url?: string;
  db: Queryable;
  dashboardUrl?: string;
  concurrency?: number;
  retry?: Omit<DeliveryOptions, 'signal' | 'giveUpAt'>;
  /** Send only alerts whose feedback is at most this many minutes old (default: no limit). */
  sendWithinMinutes?: number;
  onChange?: (record: AlertRecord) => void;
  /** Alerts waiting for the webhook at most (default 1000, the default alert bound). */
  maxQueued?: number;
  /** How long a claim holds without renewal (default 30 s; renewed every third of it). */
  leaseMs?: number;
  /** How often to look for pending alerts nobody holds (default 5 s). */
  pollMs?: number;
}

export const DEFAULT_MAX_QUEUED = 1000;
export const DEFAULT_LEASE_MS = 30_000;

export interface Notifier {
  readonly enabled: boolean;
  /** Claims taken by this notifier carry this name. */
  readonly owner: string;
  readonly leaseMs: number;
  /** True when an alert about this feedback is still worth sending. */
  fresh(alert: AlertRecord['alert']): boolean;
  /** Sends a pending alert this notifier holds the claim of (filed claimed, committed). */
  send(record: AlertRecord): void;
  /** Claims and queues pending alerts nobody holds; resolves once claimed. */
  poll(): Promise<void>;
  /** Resolves when nothing is queued or in flight (tests, shutdown). */
  idle(): Promise<void>;
  /** Stops sending; unfinished alerts stay pending and their claims are let go for another worker. */
  close(): Promise<void>;
}

export function createNotifier(options: NotifierOptions): Notifier {
  const log = options.log ?? defaultLogger;
  const { url, db, concurrency = 4, maxQueued = DEFAULT_MAX_QUEUED, leaseMs = DEFAULT_LEASE_MS, pollMs = 5000 } = options;
  const owner = randomUUID();
  const windowMs = (options.sendWithinMinutes ?? Infinity) * 60_000;
  const fresh = (alert: AlertRecord['alert']) => Date.now() - alert.at <= windowMs;
  const queue: AlertRecord[] = [];
  const held = new Set<string>();
  const abort = new AbortController();
  let active = 0;
  let idleWaiters: (() => void)[] = [];
  let polling: Promise<void> | undefined;
  const record = async (r: AlertRecord, delivery: AlertRecord['delivery'], attempts: number, error?: string) => {
    Object.assign(r, { delivery, attempts, ...(error ? { error } : {}) });
    await setDelivery(db, r.alert.id, delivery, attempts, error)
      .catch((err: Error) => log({ level: 'error', msg: 'webhook_record_failed', alert: r.alert.id, error: err.message }));
    held.delete(r.alert.id);
    options.onChange?.(r);
  };

  const settle = () => {
    if (active || queue.length || polling) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  const pump = () => {
    while (url && active < concurrency && queue.length && !abort.signal.aborted) {
      const r = queue.shift()!;
      active++;
      void (async () => {
        if (!fresh(r.alert)) return record(r, 'stale', r.attempts);
        const giveUpAt = Number.isFinite(windowMs) ? r.alert.at + windowMs : undefined;
        // A message that cannot be built (unexpected alert text) fails this alert, not the process.
        let body: ReturnType<typeof slackMessage>;
        try { body = slackMessage(r.alert, options.dashboardUrl); } catch (err) {
          return record(r, 'failed', r.attempts, `message: ${(err as Error).message}`);
        }
        const result = await postWithRetry(url, body, { ...options.retry, giveUpAt, signal: abort.signal });
        // On shutdown an unfinished delivery stays pending; close() lets its claim go.
        if (result.ok || !abort.signal.aborted) await record(r, result.ok ? 'delivered' : 'failed', result.attempts, result.error);
      })().finally(() => { active--; pump(); settle(); });
    }
    settle();
  };

  const enqueue = (r: AlertRecord) => {
    if (held.has(r.alert.id)) return;
    held.add(r.alert.id);
    queue.push(r);
    while (queue.length > maxQueued) {
      const dropped = queue.shift()!;
      void record(dropped, 'failed', dropped.attempts, `not sent: ${maxQueued} newer alerts were waiting for the webhook`);
    }
  };

  const poll = (): Promise<void> => {
    if (!url || abort.signal.aborted) return Promise.resolve();
    polling ??= (async () => {
      try {
        // Only what it can start soon: the rest stays free for other workers.
        const room = Math.max(0, concurrency * 2 - queue.length - active);
        for (const r of await claimPending(db, owner, leaseMs, room)) enqueue(r);
      } catch (err) {
        if (!abort.signal.aborted) log({ level: 'error', msg: 'pending_alerts_failed', error: (err as Error).message });
      } finally {
        polling = undefined;
      }
      pump();
    })();
    return polling;
  };

  const timers: NodeJS.Timeout[] = [];
  if (url) {
    timers.push(setInterval(() => { void poll(); }, pollMs));
    timers.push(setInterval(() => {
      // Also claims filed by this worker's batches and not handed over yet.
      void renewClaims(db, owner, leaseMs).catch((err: Error) => log({ level: 'error', msg: 'alert_claims_renew_failed', error: err.message }));
    }, Math.max(50, Math.floor(leaseMs / 3))));
    for (const t of timers) t.unref();
    queueMicrotask(() => { void poll(); });
  }

  return {
    enabled: Boolean(url),
    owner,
    leaseMs,
    fresh,
    send(r) { if (url && !abort.signal.aborted) { enqueue(r); pump(); } },
    poll,
    idle: () => new Promise<void>((resolve) => { idleWaiters.push(resolve); settle(); }),
    async close() {
      for (const t of timers) clearInterval(t);
      abort.abort();
      queue.length = 0;
      await polling;
      if (active) await new Promise<void>((resolve) => { idleWaiters.push(resolve); settle(); });
      if (url) await releaseClaims(db, owner).catch(() => undefined);
    },
  };
}
