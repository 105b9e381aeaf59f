// Token buckets of requests. The collector keys them by who sends (client IP, and the write key
// when keys are configured), checked before the body is read, and by IP + project for every
// project a batch writes to, after it is parsed: nothing in a body can pick a fresh bucket.
// Buckets that have refilled are forgotten, and at most `maxBuckets` are held (the least recently
// used goes first), so memory follows the number of recently active clients, with a ceiling.
export interface RateLimitOptions {
  /** Requests per second refilled into each bucket. */
  perSecond: number;
  /** Bucket size: requests allowed in a burst (default 2 × perSecond). */
  burst?: number;
  /** Most buckets held at once (default 100,000). */
  maxBuckets?: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** One token from each bucket named, or none: all-or-nothing, so a refusal charges nothing. */
  take(keys: string | readonly string[]): RateDecision;
  size(): number;
}

export const DEFAULT_MAX_BUCKETS = 100_000;

interface Bucket {
  tokens: number;
  at: number;
}

export function createRateLimiter(options: RateLimitOptions | false, now: () => number = Date.now): RateLimiter {
  if (!options) return { take: () => ({ ok: true }), size: () => 0 };
  const rate = options.perSecond / 1000; // tokens per ms
  const burst = Math.max(1, options.burst ?? options.perSecond * 2);
  const maxBuckets = options.maxBuckets ?? DEFAULT_MAX_BUCKETS;
  // A Map keeps insertion order; a bucket is re-inserted when used, so the first one is the least recently used.
  const buckets = new Map<string, Bucket>();
  let lastSweep = now();

  const sweep = (t: number) => {
    if (t - lastSweep < 10_000) return;
    lastSweep = t;
    for (const [key, bucket] of buckets) if (bucket.tokens + (t - bucket.at) * rate >= burst) buckets.delete(key);
  };
  const refilled = (key: string, t: number): Bucket => {
    const bucket = buckets.get(key);
    return bucket ? { tokens: Math.min(burst, bucket.tokens + (t - bucket.at) * rate), at: t } : { tokens: burst, at: t };
  };
  const store = (key: string, bucket: Bucket) => {
    buckets.delete(key);
    buckets.set(key, bucket);
    while (buckets.size > maxBuckets) buckets.delete(buckets.keys().next().value as string);
  };

  return {
    take(keys) {
      const list = typeof keys === 'string' ? [keys] : [...new Set(keys)];
      const t = now();
      sweep(t);
      const states = list.map((key) => [key, refilled(key, t)] as const);
      const short = states.filter(([, bucket]) => bucket.tokens < 1);
      for (const [key, bucket] of states) {
        if (short.length === 0) bucket.tokens -= 1;
        store(key, bucket);
      }
      if (short.length === 0) return { ok: true };
      const missing = Math.max(...short.map(([, bucket]) => 1 - bucket.tokens));
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(missing / rate / 1000)) };
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

/** The `rateLimit` option: false, or numbers the env variable would accept (NaN or −5 must not mean "off"). */
export function checkRateLimitOption(value: RateLimitOptions | false | undefined): RateLimitOptions | false | undefined {
  if (value === undefined || value === false) return value;
  if (!value || typeof value !== 'object') throw new Error(`rateLimit: expected false or { perSecond, burst? }, got ${String(value)}`);
  const { perSecond, burst, maxBuckets } = value;
  if (typeof perSecond !== 'number' || !(perSecond > 0) || !Number.isFinite(perSecond)) throw new Error(`rateLimit.perSecond: ${String(perSecond)} is not a number > 0 (rateLimit: false turns the limit off)`);
  if (burst !== undefined && (typeof burst !== 'number' || !(burst >= 1) || !Number.isFinite(burst))) throw new Error(`rateLimit.burst: ${String(burst)} is not a number ≥ 1`);
  if (maxBuckets !== undefined && (typeof maxBuckets !== 'number' || !Number.isSafeInteger(maxBuckets) || maxBuckets < 1)) throw new Error(`rateLimit.maxBuckets: ${String(maxBuckets)} is not a whole number ≥ 1`);
  return value;
}
