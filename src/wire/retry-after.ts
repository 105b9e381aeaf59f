// Reading an HTTP `Retry-After` answer (RFC 9110 §10.2.3): delay-seconds or an HTTP date. One rule
// for every side that retries (the webhook sender, the traffic simulator, the browser SDK).

/** Retry-After as milliseconds from `now`; undefined when absent or unreadable; a past date is 0. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  // No digit: absent, empty or unreadable (an HTTP date has digits too).
  if (typeof value !== 'string' || !/\d/.test(value)) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1e3 : Date.parse(value) - now;
  return ms < 0 ? 0 : ms >= 0 ? ms : undefined;
}
