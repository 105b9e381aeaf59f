// Events counted per second, per view key, from the counted totals the views read from the
// database (figures.volume.total): each view build is a sample, and the rate is the growth over
// the last 5 s. No query of its own, and it counts every worker's events, not one process's.

export interface RateTracker {
  /** Records `count` for `key` now and returns the events per second since the sample ~5 s before. */
  observe(key: string, count: number, now?: number): number;
}

/** Keys kept at most (view keys: all, the projects with figures, the unseen view). */
const MAX_KEYS = 500;

export function createRateTracker(windowMs = 5000): RateTracker {
  const samples = new Map<string, [at: number, count: number][]>();
  return {
    observe(key, count, now = Date.now()) {
      let list = samples.get(key);
      if (!list) {
        if (samples.size >= MAX_KEYS) samples.delete(samples.keys().next().value!);
        samples.set(key, (list = []));
      }
      list.push([now, count]);
      // Keep one sample at or before the window's start as its base.
      while (list.length > 2 && list[1]![0] <= now - windowMs) list.shift();
      // Views asked for many times a second (view.json) thin out the middle samples, not the base.
      if (list.length > 64) list.splice(1, 1);
      const [t0, c0] = list[0]!;
      const elapsed = (now - t0) / 1000;
      return elapsed > 0.5 ? Math.max(0, Math.round((count - c0) / elapsed)) : 0;
    },
  };
}
