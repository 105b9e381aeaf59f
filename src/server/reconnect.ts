// The reconnect state machine of every broker client (the collector's sinks, the consumer's
// sources): one attempt at a time, the next after a backoff, none once closed, and a connection
// that came up after close() is shut instead of used.
import { backoffMs, type Backoff } from './backoff.js';

export interface ReconnectOptions<T> {
  backoff: Backoff;
  /** A failed attempt; `retry` is false for an attempt started by connect(), true for a scheduled one. */
  onFailed(err: Error, retry: boolean): void;
  /** Shuts a connection that came up after close() (default: nothing to shut). */
  discard?(connection: T): Promise<unknown>;
}

export interface Reconnecting {
  /** Attempts now (or joins the attempt running); resolves once it settled, either way. */
  connect(): Promise<void>;
  /** Attempts again after the backoff, unless an attempt is running or scheduled, or closed. */
  retry(): void;
  /** True while an attempt runs. */
  attempting(): boolean;
  /** No attempt after this; resolves once a running one settled. */
  close(): Promise<void>;
}

/**
 * `connect` opens a connection (and cleans up its own partial work when it throws); `onUp` puts it
 * to use. The backoff restarts from its first step after each success.
 */
export function reconnecting<T>(connect: () => Promise<T>, onUp: (connection: T) => void, options: ReconnectOptions<T>): Reconnecting {
  let closed = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const attempt = (retry: boolean): Promise<void> => {
    running ??= (async () => {
      let failed = false;
      try {
        // Called from a microtask: a connect that throws at once fails after `running` is set.
        const connection = await Promise.resolve().then(connect);
        if (closed) {
          await options.discard?.(connection);
          return;
        }
        failures = 0;
        onUp(connection);
      } catch (err) {
        failed = !closed;
        if (failed) options.onFailed(err as Error, retry);
      } finally {
        running = undefined;
      }
      if (failed) schedule();
    })();
    return running;
  };

  const schedule = () => {
    if (closed || timer || running) return;
    timer = setTimeout(() => {
      timer = undefined;
      void attempt(true);
    }, Math.round(backoffMs(failures++, options.backoff)));
    // A retry waiting for a broker never keeps the process alive on its own.
    timer.unref();
  };

  return {
    connect: () => attempt(false),
    retry: schedule,
    attempting: () => running !== undefined,
    async close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
