// Sends alerts to the webhook (FEEDPULSE_WEBHOOK_URL) a few at a time, records the outcome in the
// alert store, and on start resends the ones a previous run did not finish. A webhook is a call to
// act now: an alert whose feedback is older than `sendWithinMinutes` (a consumer replaying last
// week's log, simulated history, an outage longer than that) is kept on the dashboard but not sent,
// and a failing webhook is retried until the alert gets that old. The queue is bounded
// (`maxQueued`): a webhook slower than the alerts coming in (a flood of made-up one-star ratings, a
// receiver answering 429) would otherwise hold every alert in memory and post each one, long after
// the alert store has dropped it. The oldest waiting alert is let go first (marked `failed`, with
// the reason): a webhook is a call to act now, and the dashboard still lists it.
import { slackMessage } from './slack';
import type { AlertRecord, AlertStore } from './store';
import { postWithRetry, type DeliveryOptions } from './webhook';

export interface NotifierOptions {
  url?: string;
  store: AlertStore;
  dashboardUrl?: string;
  concurrency?: number;
  retry?: Omit<DeliveryOptions, 'signal' | 'giveUpAt'>;
  /** Send only alerts whose feedback is at most this many minutes old (default: no limit). */
  sendWithinMinutes?: number;
  onChange?: (record: AlertRecord) => void;
  /** Alerts waiting for the webhook at most (default 1000, the alert store's default `keep`). */
  maxQueued?: number;
}

export const DEFAULT_MAX_QUEUED = 1000;
export interface Notifier {
  readonly enabled: boolean;
  /** True when an alert about this feedback is still worth sending. */
  fresh(alert: AlertRecord['alert']): boolean;
  send(record: AlertRecord): void;
  /** Resolves when nothing is queued or in flight (tests, shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export function createNotifier(options: NotifierOptions): Notifier {
  const { url, store, concurrency = 4, maxQueued = DEFAULT_MAX_QUEUED } = options;
  const windowMs = (options.sendWithinMinutes ?? Infinity) * 60_000;
  const fresh = (alert: AlertRecord['alert']) => Date.now() - alert.at <= windowMs;
  const queue: AlertRecord[] = [];
  const abort = new AbortController();
  let active = 0;
  let idleWaiters: (() => void)[] = [];

  const settle = () => {
    if (active || queue.length) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  const pump = () => {
    while (url && active < concurrency && queue.length && !abort.signal.aborted) {
      const record = queue.shift()!;
      active++;
      void (async () => {
        if (!fresh(record.alert)) {
          await store.setDelivery(record.alert.id, 'stale', record.attempts).catch(() => undefined);
          options.onChange?.(record);
          return;
        }
        const giveUpAt = Number.isFinite(windowMs) ? record.alert.at + windowMs : undefined;
        // A message that cannot be built (unexpected alert text) fails this alert, not the process.
        let body: ReturnType<typeof slackMessage>;
        try { body = slackMessage(record.alert, options.dashboardUrl); } catch (err) {
          await store.setDelivery(record.alert.id, 'failed', record.attempts, `message: ${(err as Error).message}`).catch(() => undefined);
          options.onChange?.(record);
          return;
        }
        const result = await postWithRetry(url, body, { ...options.retry, giveUpAt, signal: abort.signal });
        // On shutdown an unfinished delivery stays pending, so the next start resends it.
        if (result.ok || !abort.signal.aborted) {
          await store.setDelivery(record.alert.id, result.ok ? 'delivered' : 'failed', result.attempts, result.error).catch(() => undefined);
          options.onChange?.(record);
        }
      })().finally(() => { active--; pump(); settle(); });
    }
    settle();
  };

  const enqueue = (record: AlertRecord) => {
    queue.push(record);
    while (queue.length > maxQueued) {
      const dropped = queue.shift()!;
      void store.setDelivery(dropped.alert.id, 'failed', dropped.attempts, `not sent: ${maxQueued} newer alerts were waiting for the webhook`)
        .catch(() => undefined)
        .then(() => options.onChange?.(dropped));
    }
  };

  for (const record of store.pending()) enqueue(record);
  queueMicrotask(pump);

  return {
    enabled: Boolean(url),
    fresh,
    send(record) { if (url) { enqueue(record); pump(); } },
    idle: () => new Promise<void>((resolve) => { idleWaiters.push(resolve); settle(); }),
    async close() {
      abort.abort();
      queue.length = 0;
      if (active) await new Promise<void>((resolve) => { idleWaiters.push(resolve); });
    },
  };
}
