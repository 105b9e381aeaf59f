// Pushes a fresh view to dashboard streams when something changed: at once if the last push is
// older than `minIntervalMs`, otherwise at the end of that interval (so bursts coalesce).
import type { SseHub } from './sse';

export interface LiveUpdates { changed(): void; close(): void }

/** `view(key)`: the view for streams of that key ('' = all projects). */
export function createLiveUpdates(hub: SseHub, view: (key: string) => unknown, minIntervalMs = 100): LiveUpdates {
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  const push = () => {
    timer = undefined;
    last = Date.now();
    if (hub.size()) hub.broadcast('view', view);
  };
  return {
    changed() {
      if (timer) return;
      const wait = last + minIntervalMs - Date.now();
      if (wait <= 0) push();
      else timer = setTimeout(push, wait);
    },
    close() { if (timer) clearTimeout(timer); },
  };
}
