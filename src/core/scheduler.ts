// When the next drain runs: one timer, moved earlier when a batch fills up, never before the
// retry time a failed send set (backoff, or the server's Retry-After); paused after a refusal
// (401/403) until flush() or a later page load; stopped while the client is (consent pending,
// shut down).
import { backoff } from './retry';

// `_` names: the bundle's minifier shortens them (properties starting with `_` are mangled).
export interface Scheduler {
  /** A drain in `ms` (or at the retry time, if later). */
  _schedule(ms: number): void;
  /** True while a failed send's retry time has not come. */
  _waiting(): boolean;
  /** A send went through: the next failure starts the backoff from its first step. */
  _succeeded(): void;
  /** A send failed: retry after `wait` ms (Retry-After), or the next backoff step. Answers the wait. */
  _failed(wait: number | undefined): number;
  /** Sending was refused (or may go on again, after flush()). */
  _pause(paused: boolean): void;
  /** Neither stopped nor paused: drains may run. */
  _active(): boolean;
  /** No more waiting for the retry time: the browser came back online, or flush() was called. */
  _retryNow(): void;
  _start(): void;
  _stop(): void;
}

export function createScheduler(drain: () => void, maxRetryDelay: number): Scheduler {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let due = 0; // when the timer fires; 0: no timer
  let retryAt = 0;
  let attempt = 0; // failed sends in a row
  let paused = false;
  let stopped = true;

  return {
    _schedule(ms) {
      if (stopped || paused) return;
      const at = Math.max(Date.now() + ms, retryAt);
      // A timer already due by then stays, unless it was set before a failed send and would fire
      // before the retry time.
      if (due && due <= at && due >= retryAt) return;
      clearTimeout(timer);
      due = at;
      timer = setTimeout(() => {
        due = 0;
        drain();
      }, at - Date.now());
    },
    _waiting: () => Date.now() < retryAt,
    _succeeded() {
      attempt = 0;
    },
    _failed(wait) {
      const ms = wait ?? backoff(attempt++, maxRetryDelay);
      retryAt = Date.now() + ms;
      return ms;
    },
    _pause(value) {
      paused = value;
    },
    _active: () => !stopped && !paused,
    _retryNow() {
      retryAt = 0;
    },
    _start() {
      stopped = false;
    },
    _stop() {
      stopped = true;
      clearTimeout(timer);
      due = 0;
    },
  };
}
