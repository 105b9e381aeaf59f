// Anonymous and session ids. Kept in web storage with a per-page memory copy that is read first,
// so ids stay stable where storage throws (sandboxed iframes, blocked cookies) or silently
// refuses writes (quota full, some private modes).
import { nanoid } from 'nanoid';

const memory: Record<string, string> = {};

// The value under key (memory first, then storage, else ''), passed through next and saved.
function keep(kind: 'localStorage' | 'sessionStorage', key: string, next: (old: string) => string): string {
  let old = memory[key];
  try { old ??= window[kind].getItem(key)!; } catch { /* no storage: memory only */ }
  const value = (memory[key] = next(old || ''));
  try { window[kind].setItem(key, value); } catch { /* memory copy only */ }
  return value;
}

export const anonymousId = (project: string): string => keep('localStorage', 'fp_aid_' + project, (old) => old || nanoid());

/** The id given to identify(), kept per project in localStorage so later page loads send it too
 *  ('' when none was given). With `id`, stores it; without, reads what an earlier load stored. */
export const userIdOf = (project: string, id?: string): string => keep('localStorage', 'fp_uid_' + project, (old) => id || old);

/** A session ends after 30 minutes without events; sessionStorage keeps it per tab. */
export function sessionId(project: string): string {
  const now = Date.now();
  return keep('sessionStorage', 'fp_sid_' + project, (old) => {
    const [id, at] = old.split(' ');
    return (id && now - +at < 18e5 ? id : nanoid()) + ' ' + now;
  }).split(' ')[0];
}
