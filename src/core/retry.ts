// Retry timing: exponential backoff with full jitter (a random wait between 0 and
// min(cap, base * 2^attempt)), and the server's Retry-After.

/** Milliseconds to wait before retry number `attempt` (0-based); base 1 s. */
export const backoff = (attempt: number, cap: number, random = Math.random): number =>
  random() * Math.min(cap, 1e3 * 2 ** attempt);

/** Retry-After as milliseconds from `now`: delay-seconds or an HTTP date; undefined when absent
 *  or unreadable; a date in the past means 0. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  // No digit: absent, empty or unreadable (an HTTP date has digits too).
  const ms = /\d/.test(value!) ? (isNaN(+value!) ? Date.parse(value!) - now : +value! * 1e3) : NaN;
  return ms < 0 ? 0 : ms >= 0 ? ms : undefined;
}
