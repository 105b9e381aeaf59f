// Public write keys: `x-feedpulse-key` header or `?key=` (beacons cannot set headers). Each key maps
// to the projects it may write. With no keys configured, every project is open.
import type { IncomingMessage } from 'node:http';
import { isProjectName } from './validate.js';

export type KeyMap = Record<string, string | string[]>;

/** `key`: the configured key the request carried (undefined when no keys are configured). */
export type KeyCheck = { ok: true; projects?: ReadonlySet<string>; key?: string } | { ok: false };

/** `keys` as resolveOptions() returns them: already checked (checkKeyMap / parseKeysEnv). */
export function createKeyCheck(keys: KeyMap | undefined): (req: IncomingMessage, url: URL) => KeyCheck {
  const table = new Map<string, ReadonlySet<string>>();
  for (const [key, projects] of Object.entries(keys ?? {})) {
    table.set(key, new Set(Array.isArray(projects) ? projects : [projects]));
  }
  if (table.size === 0) return () => ({ ok: true });
  return (req, url) => {
    const header = req.headers['x-feedpulse-key'];
    const key = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('key') ?? '';
    const projects = table.get(key);
    return projects ? { ok: true, projects, key } : { ok: false };
  };
}

const FORM = 'the form is key:project[,key:project…], a project 1–64 of [A-Za-z0-9_-]';

/**
 * `FEEDPULSE_KEYS="pk_live_1:shop-web,pk_live_2:blog"` → { pk_live_1: ['shop-web'], ... }.
 * A malformed entry throws rather than being skipped: skipping could leave the table empty, and an
 * empty table means no auth at all. Messages name an entry by its position and show at most its key
 * name (never a whole entry, which may be a key typed without its project).
 */
export function parseKeysEnv(value: string | undefined): KeyMap | undefined {
  if (!value?.trim()) return undefined;
  // Null prototype: a key is operator text, and `constructor` or `__proto__` must be a key like any other.
  const keys: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  const entries = value.split(',');
  entries.forEach((entry, index) => {
    const where = `FEEDPULSE_KEYS: entry ${index + 1} of ${entries.length}`;
    const parts = entry.split(':').map((s) => s.trim());
    if (parts.length !== 2) {
      throw new Error(`${where} ${parts.length < 2 ? (entry.trim() ? 'has no ":"' : 'is empty') : `(key "${parts[0]}") has more than one ":"`}; ${FORM}`);
    }
    const [key, project] = parts as [string, string];
    if (!key) throw new Error(`${where} has no key before ":"; ${FORM}`);
    if (!isProjectName(project)) throw new Error(`${where} (key "${key}") ${project ? 'names an invalid project' : 'has no project'}; ${FORM}`);
    (keys[key] ??= []).push(project);
  });
  return keys;
}

/** The `keys` option: the same rules as FEEDPULSE_KEYS (an empty key would match requests sent without one). */
export function checkKeyMap(keys: KeyMap | undefined): KeyMap | undefined {
  if (keys === undefined) return undefined;
  if (!keys || typeof keys !== 'object' || Array.isArray(keys)) throw new Error('keys: expected an object { key: project | project[] }');
  for (const [key, projects] of Object.entries(keys)) {
    if (!key.trim()) throw new Error(`keys: an empty key; ${FORM}`);
    const list: unknown[] = Array.isArray(projects) ? projects : [projects];
    if (list.length === 0) throw new Error(`keys: key "${key}" has no project`);
    for (const project of list) {
      if (typeof project !== 'string' || !isProjectName(project)) throw new Error(`keys: key "${key}" names an invalid project; ${FORM}`);
    }
  }
  return keys;
}
