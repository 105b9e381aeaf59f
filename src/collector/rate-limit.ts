// Token bucket per client IP + project. Buckets that have refilled are forgotten, so memory follows
// the number of recently active clients.
export interface RateLimitOptions {
  /** Requests per second refilled into each bucket. */
  perSecond: number;
  /** Bucket size: requests allowed in a burst (default 2 × perSecond). */
  burst?: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export function createRateLimiter(options: RateLimitOptions | false, now: () => number = Date.now) {
  if (!options || !(options.perSecond > 0)) return { take: (_key: string): RateDecision => ({ ok: true }), size: () => 0 };
  const rate = options.perSecond / 1000; // tokens per ms
  const burst = Math.max(1, options.burst ?? options.perSecond * 2);
  const buckets = new Map<string, { tokens: number; at: number }>();
  let lastSweep = now();

  const sweep = (t: number) => {
    if (t - lastSweep < 10_000) return;
    lastSweep = t;
    for (const [key, bucket] of buckets) if (bucket.tokens + (t - bucket.at) * rate >= burst) buckets.delete(key);
  };

  return {
    take(key: string): RateDecision {
      const t = now();
      sweep(t);
      const bucket = buckets.get(key) ?? { tokens: burst, at: t };
      bucket.tokens = Math.min(burst, bucket.tokens + (t - bucket.at) * rate);
      bucket.at = t;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000)) };
    },
    size: () => buckets.size,
  };
}

/**
 * `FEEDPULSE_RATE_LIMIT="50"`, `"50:200"` (per second : burst) or `"off"` (also `0`, `false`,
 * `none`). Anything else throws: falling back to the default hid typos such as `-5` or `abc`.
 */
export function parseRateLimitEnv(value: string | undefined): RateLimitOptions | false | undefined {
  if (!value?.trim()) return undefined;
  if (/^(off|0|false|none)$/i.test(value.trim())) return false;
  const parts = value.split(':').map((s) => s.trim());
  const [perSecond, burst] = parts.map((s) => (/^\d+(\.\d+)?$/.test(s) ? Number(s) : Number.NaN));
  if (parts.length > 2 || !(perSecond! > 0) || (parts.length === 2 && !(burst! >= 1))) {
    throw new Error(`FEEDPULSE_RATE_LIMIT: "${value}" is not perSecond[:burst] (a number > 0, burst ≥ 1, e.g. 100:200) or off`);
  }
  return burst === undefined ? { perSecond: perSecond! } : { perSecond: perSecond!, burst };
}
