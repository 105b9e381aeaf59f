// POST one JSON body to a webhook with retries: exponential backoff with jitter, honouring
// Retry-After (capped, so one answer cannot hold a sending slot for a day); 4xx other than
// 408/425/429 is final (retrying a rejected payload cannot help). With `giveUpAt` it retries until
// then (an outage of the chat tool must not lose a critical alert), otherwise `attempts` times.
import { parseRetryAfter } from '../../wire/retry-after';
import { backoffMs } from '../../server/backoff';
import { sleep } from '../../server/sleep';

export interface DeliveryResult { ok: boolean; attempts: number; status?: number; error?: string }
export interface DeliveryOptions {
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  /** Epoch ms: no try starts after this; without it, `attempts` tries (default 6). */
  giveUpAt?: number;
  /** Stop retrying (e.g. on shutdown). */
  signal?: AbortSignal;
}

const RETRYABLE = new Set([408, 425, 429]);

export async function postWithRetry(url: string, body: unknown, options: DeliveryOptions = {}): Promise<DeliveryResult> {
  const { giveUpAt, attempts = giveUpAt === undefined ? 6 : Infinity, baseDelayMs = 500, maxDelayMs = 30_000, timeoutMs = 10_000, signal } = options;
  let last: DeliveryResult = { ok: false, attempts: 0 };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (signal?.aborted) return { ...last, error: last.error ?? 'aborted' };
    let wait: number | undefined;
    try {
      const res = await fetch(url, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { ok: true, attempts: attempt, status: res.status };
      last = { ok: false, attempts: attempt, status: res.status, error: `HTTP ${res.status}` };
      if (res.status < 500 && !RETRYABLE.has(res.status)) return last;
      wait = parseRetryAfter(res.headers.get('retry-after'));
    } catch (err) {
      last = { ok: false, attempts: attempt, error: (err as Error).message };
    }
    if (attempt === attempts) break;
    const delay = Math.min(wait ?? backoffMs(attempt - 1, { baseMs: baseDelayMs, maxMs: maxDelayMs, jitter: 'equal' }), 10 * maxDelayMs);
    if (giveUpAt !== undefined && Date.now() + delay > giveUpAt) break;
    await sleep(delay, signal);
  }
  return last;
}
