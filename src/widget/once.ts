// "Don't ask again for N days after an answer": the time of the answer under one localStorage key per
// project (no cookies). Storage can be missing or throw (private modes, sandboxed iframes, quota); then
// nothing is remembered across page loads and nothing throws.

export const onceKey = (project: string): string => 'feedpulse:answered:' + project;

/** True when an answer for `project` was recorded less than `days` days before `now`. */
export function answeredWithin(project: string, days: number, now = Date.now()): boolean {
  // No storage read when there is nothing to remember.
  if (!(days > 0)) return false;
  try {
    const at = localStorage.getItem(onceKey(project));
    // Garbage (NaN) never counts.
    return !!at && now - +at < days * 864e5;
  } catch {
    return false;
  }
}

/** Records that the visitor answered now. Failures are swallowed on purpose. */
export function rememberAnswer(project: string, now = Date.now()): void {
  try {
    localStorage.setItem(onceKey(project), '' + now);
  } catch {
    // Storage unavailable: the in-page memory in triggers.ts still stops repeats on this page load.
  }
}

/** A `once` value: days ≥ 0 (a number or numeric text, as from data-once), else one warning and 0. */
export function parseOnceDays(value: unknown, warn: (msg: string) => void): number {
  const days = +(value ?? 0);
  if (days >= 0 && days < 1 / 0) return days;
  warn(`feedpulse: once ${JSON.stringify(value)} is not valid; using 0`);
  return 0;
}
