// Bounded waits for closing: a broker that has gone silent never answers a confirm, an ack or a
// close handshake, and closing must not hang on it.

/** How long close() waits for a broker's confirms/acks and its close handshake. */
export const CLOSE_WAIT_MS = 5000;

/** Waits for `promise` to settle, but at most `ms`; true when it settled in time. Never rejects. */
export function settleWithin(promise: Promise<unknown> | undefined, ms: number): Promise<boolean> {
  if (!promise) return Promise.resolve(true);
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(() => true, () => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(resolve, ms, false))),
  ]).finally(() => clearTimeout(timer));
}
