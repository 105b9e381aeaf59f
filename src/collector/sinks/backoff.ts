// Exponential backoff with full jitter for reconnect loops.
export function backoffDelay(attempt: number, baseMs = 100, maxMs = 5000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/**
 * Waits for `promise` to settle, but at most `ms`: closing must not hang on a broker that has gone
 * silent (a confirm, an ack or a close handshake that never comes). Never rejects.
 */
export function settleWithin(promise: Promise<unknown> | undefined, ms: number): Promise<boolean> {
  if (!promise) return Promise.resolve(true);
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(() => true, () => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(resolve, ms, false))),
  ]).finally(() => clearTimeout(timer));
}

/** How long close() waits for a broker's confirms/acks and its close handshake. */
export const CLOSE_WAIT_MS = 5000;
