// Graceful close: once closing, new requests are refused (503 + Retry-After, connection: close);
// requests already in flight finish; then the sink flushes and closes.
export interface InFlight {
  enter(): () => void;
  count(): number;
  /** Resolves when no request is in flight (or after `timeoutMs`). */
  drained(timeoutMs: number): Promise<void>;
}

export function createInFlight(): InFlight {
  let active = 0;
  let waiters: (() => void)[] = [];
  return {
    enter() {
      active++;
      let left = false;
      return () => {
        if (left) return;
        left = true;
        active--;
        if (active === 0) {
          const ready = waiters;
          waiters = [];
          for (const wake of ready) wake();
        }
      };
    },
    count: () => active,
    drained(timeoutMs) {
      if (active === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        timer.unref();
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
