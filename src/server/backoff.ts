// Exponential backoff for every retry loop of the server side (broker reconnects, webhook and
// collector retries). The browser SDK keeps its own in src/core/retry.ts: it must not import Node code.

export interface Backoff {
  /** The first wait (attempt 0), doubled each attempt… */
  baseMs: number;
  /** …up to this ceiling (Infinity: no ceiling). */
  maxMs: number;
  /**
   * `equal`: a random wait in [ceiling/2, ceiling] ("equal jitter": half fixed, half random), so
   * clients that failed together spread out but none retries almost at once; `none`: the ceiling.
   */
  jitter: 'equal' | 'none';
}

/** Milliseconds to wait before retry `attempt` (0-based). */
export function backoffMs(attempt: number, { baseMs, maxMs, jitter }: Backoff, random: () => number = Math.random): number {
  // The exponent is capped so a long outage cannot overflow to Infinity * 0 = NaN.
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return jitter === 'equal' ? ceiling / 2 + (random() * ceiling) / 2 : ceiling;
}
