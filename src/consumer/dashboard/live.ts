// Pushes a fresh view to dashboard streams when something changed: at once if the last push is
// older than `minIntervalMs`, otherwise at the end of that interval (so bursts coalesce). With
// many streams open the interval grows with them (`writesPerSecond` stream writes a second at
// most), so a busy dashboard cannot take the CPU the collector in the same process needs.
// Views are built once per push for each *view key* (`keyOf` maps a stream's key to it: streams
// of projects the dashboard does not know share one), and the newest are kept for the first frame
// of a new stream until something changes, so 300 streams opening cost no more than one.
import type { SseHub } from './sse';

export interface LiveUpdates {
  changed(): void;
  /** The current view for a new stream of `key` (built at most once per change and view key). */
  current(key: string): unknown;
  close(): void;
}

export interface LiveOptions {
  minIntervalMs?: number;
  /** The view key of a stream key; called with the stream keys once per push (default: itself). */
  keyOf?: () => (key: string) => string;
  /** A view is rebuilt for `current` after this long even without a change (default 1000: the rate moves). */
  maxAgeMs?: number;
  /** Stream writes per second the pushes may cost at most (default 500: 50 streams at ten pushes a second). */
  writesPerSecond?: number;
}

/** `view(key)`: the view for streams of that view key ('' = all projects). */
export function createLiveUpdates(hub: SseHub, view: (key: string) => unknown, options: LiveOptions | number = {}): LiveUpdates {
  const { minIntervalMs = 100, keyOf = () => (key: string) => key, maxAgeMs = 1000, writesPerSecond = 500 } = typeof options === 'number' ? { minIntervalMs: options } : options;
  const interval = () => Math.max(minIntervalMs, (hub.size() / writesPerSecond) * 1000);
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  let built = new Map<string, { at: number; data: unknown }>();
  const viewOf = (viewKey: string): unknown => {
    const cached = built.get(viewKey);
    if (cached && Date.now() - cached.at < maxAgeMs) return cached.data;
    const data = view(viewKey);
    built.set(viewKey, { at: Date.now(), data });
    return data;
  };
  const push = () => {
    timer = undefined;
    last = Date.now();
    if (!hub.size()) return;
    const toViewKey = keyOf();
    hub.broadcast('view', (key) => viewOf(toViewKey(key)));
  };
  return {
    changed() {
      built = new Map();
      if (timer) return;
      const wait = last + interval() - Date.now();
      if (wait <= 0) push();
      else timer = setTimeout(push, wait);
    },
    current: (key) => viewOf(keyOf()(key)),
    close() { if (timer) clearTimeout(timer); },
  };
}
