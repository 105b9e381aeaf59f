// Upkeep that runs now and then every so often (the database's retention, the embedded database's
// planner statistics): one run at a time, so a slow run is not stacked with the next; an error goes
// to `onError` and the next run tries again; the timer never keeps the process alive.

export interface Periodic<T> {
  stop(): void;
  /** The latest run (the first one's, or the last interval's); undefined when it failed or was stopped. */
  readonly lastRun: Promise<T | undefined>;
}

export function runPeriodically<T>(task: () => Promise<T>, everyMs: number, onError: (err: Error) => void): Periodic<T> {
  let running: Promise<T | undefined> = Promise.resolve(undefined);
  let stopped = false;
  const run = () => {
    running = running.then(() => (stopped ? undefined : task())).catch((err: Error) => { onError(err); return undefined; });
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return {
    stop() { stopped = true; clearInterval(timer); },
    get lastRun() { return running; },
  };
}
