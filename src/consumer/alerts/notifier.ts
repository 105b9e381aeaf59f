// Sends alerts to the webhook (FEEDPULSE_WEBHOOK_URL) a few at a time, records the outcome in the
// alert store, and on start resends the ones a previous run did not finish.
import { slackMessage } from './slack';
import type { AlertRecord, AlertStore } from './store';
import { postWithRetry, type DeliveryOptions } from './webhook';

export interface NotifierOptions {
  url?: string;
  store: AlertStore;
  dashboardUrl?: string;
  concurrency?: number;
  retry?: Omit<DeliveryOptions, 'signal'>;
  onChange?: (record: AlertRecord) => void;
}
export interface Notifier {
  readonly enabled: boolean;
  send(record: AlertRecord): void;
  /** Resolves when nothing is queued or in flight (tests, shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export function createNotifier(options: NotifierOptions): Notifier {
  const { url, store, concurrency = 4 } = options;
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
        const result = await postWithRetry(url, slackMessage(record.alert, options.dashboardUrl), { ...options.retry, signal: abort.signal });
        // On shutdown an unfinished delivery stays pending, so the next start resends it.
        if (result.ok || !abort.signal.aborted) {
          await store.setDelivery(record.alert.id, result.ok ? 'delivered' : 'failed', result.attempts, result.error).catch(() => undefined);
          options.onChange?.(record);
        }
      })().finally(() => { active--; pump(); settle(); });
    }
    settle();
  };

  for (const record of store.pending()) queue.push(record);
  queueMicrotask(pump);

  return {
    enabled: Boolean(url),
    send(record) { if (url) { queue.push(record); pump(); } },
    idle: () => new Promise<void>((resolve) => { idleWaiters.push(resolve); settle(); }),
    async close() {
      abort.abort();
      queue.length = 0;
      if (active) await new Promise<void>((resolve) => { idleWaiters.push(resolve); });
    },
  };
}
