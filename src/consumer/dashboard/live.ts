// Pushes fresh views to dashboard streams when something changed: at once if the last push is
// older than `minIntervalMs`, otherwise at the end of that interval (so bursts coalesce). With
// many streams open the interval grows with them (`writesPerSecond` stream writes a second at
// most), so a busy dashboard cannot take the CPU the collector in the same process needs.
// Views are built (read from the database) once per push for each *view key* that changed
// (`keyOf` maps a stream's key to it: streams of projects the dashboard does not know share one),
// and only the streams of those keys are sent a frame. The newest views are kept for the first
// frame of a new stream until something changes, so 300 streams opening cost no more than one.
import type { SseHub } from './sse';
import { defaultLogger } from '../../server/logger';

export interface LiveUpdates {
  /** Something changed: the figures of these view keys ('' = all projects), or of every key when none are given. */
  changed(keys?: readonly string[]): void;
  /** The current view for a new stream of `key` (built at most once per change and view key). */
  current(key: string): Promise<unknown>;
  close(): void;
}

export interface LiveOptions {
  minIntervalMs?: number;
  /** The view key of a stream key; called with the stream keys once per push (default: itself). */
  keyOf?: () => (key: string) => string;
  /** View keys that change whenever the all-projects view does (the shared view of unseen projects). */
  followsAll?: (viewKey: string) => boolean;
  /** A view is rebuilt for `current` after this long even without a change (default 1000: the rate moves). */
  maxAgeMs?: number;
  /** Stream writes per second the pushes may cost at most (default 500: 50 streams at ten pushes a second). */
  writesPerSecond?: number;
  /** Told when building a view failed (the push is retried after the interval). */
  onError?: (err: Error) => void;
}

/** `view(key)`: the view for streams of that view key ('' = all projects). */
export function createLiveUpdates(hub: SseHub, view: (key: string) => Promise<unknown>, options: LiveOptions | number = {}): LiveUpdates {
  const {
    minIntervalMs = 100, keyOf = () => (key: string) => key, followsAll = () => false, maxAgeMs = 1000, writesPerSecond = 500,
    onError = (err: Error) => defaultLogger({ level: 'error', msg: 'view_failed', error: err.message }),
  } = typeof options === 'number' ? { minIntervalMs: options } : options;
  const interval = () => Math.max(minIntervalMs, (hub.size() / writesPerSecond) * 1000);
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  let pushing = false;
  let closed = false;
  /** View keys changed since the last push, or every key. */
  let dirty = new Set<string>();
  let allDirty = false;
  const built = new Map<string, { at: number; data: Promise<unknown> }>();

  const viewOf = (viewKey: string): Promise<unknown> => {
    const cached = built.get(viewKey);
    if (cached && Date.now() - cached.at < maxAgeMs) return cached.data;
    const entry = { at: Date.now(), data: view(viewKey) };
    built.set(viewKey, entry);
    // A failed build is not kept: the next asker tries again.
    entry.data.catch(() => { if (built.get(viewKey) === entry) built.delete(viewKey); });
    return entry.data;
  };
  const isStale = (stale: Set<string> | 'all', viewKey: string) =>
    stale === 'all' || stale.has(viewKey) || (stale.has('') && followsAll(viewKey));
  const takeDirty = (): Set<string> | 'all' => {
    const stale = allDirty ? 'all' : dirty;
    dirty = new Set();
    allDirty = false;
    return stale;
  };

  const schedule = () => {
    if (timer || pushing || closed) return;
    const wait = last + interval() - Date.now();
    if (wait <= 0) void push();
    else timer = setTimeout(() => void push(), wait);
  };

  async function push(): Promise<void> {
    timer = undefined;
    last = Date.now();
    const stale = takeDirty();
    if (!hub.size()) return;
    pushing = true;
    try {
      // The all-projects view first: the projects it lists decide which streams have a view of
      // their own (keyOf), so a project's streams get its own view with its first events.
      if (isStale(stale, '')) await viewOf('');
      const toViewKey = keyOf();
      const keys = [...new Set([...hub.keys()].map(toViewKey))].filter((viewKey) => isStale(stale, viewKey));
      const views = new Map(await Promise.all(keys.map(async (viewKey) => [viewKey, await viewOf(viewKey)] as const)));
      if (closed) return;
      hub.broadcast('view', (key) => views.get(toViewKey(key)));
    } catch (err) {
      onError(err as Error);
      if (stale === 'all') allDirty = true;
      else for (const key of stale) dirty.add(key);
    } finally {
      pushing = false;
    }
    if (allDirty || dirty.size) schedule();
  }

  return {
    changed(keys) {
      if (!keys) {
        allDirty = true;
        built.clear();
      } else {
        for (const key of [...keys, '']) {
          dirty.add(key);
          built.delete(key);
        }
        for (const viewKey of [...built.keys()]) if (followsAll(viewKey)) built.delete(viewKey);
      }
      schedule();
    },
    current: (key) => viewOf(keyOf()(key)),
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  };
}
