// Events counted per second, from a sample of the consumer's counter every second over the last 5.
export interface RateMeter { perSecond(): number; close(): void }

export function createRateMeter(count: () => number, windowSeconds = 5): RateMeter {
  const samples: [number, number][] = [[Date.now(), count()]];
  const timer = setInterval(() => {
    samples.push([Date.now(), count()]);
    if (samples.length > windowSeconds + 1) samples.shift();
  }, 1000);
  timer.unref();
  return {
    perSecond() {
      const [t0, c0] = samples[0];
      const elapsed = (Date.now() - t0) / 1000;
      return elapsed > 0.5 ? Math.max(0, Math.round((count() - c0) / elapsed)) : 0;
    },
    close: () => clearInterval(timer),
  };
}
