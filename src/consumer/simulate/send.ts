// Sends events to a collector over HTTP at a steady rate, in batches of the wire format
// (docs/contract.md), a few requests in flight, retrying 429/5xx with backoff.
import type { Batch, CollectorAnswer, FeedpulseEvent } from '../../core/types';
import { parseRetryAfter } from '../../wire/retry-after';
import { backoffMs, type Backoff } from '../../server/backoff';
import { sleep } from '../../server/sleep';

export interface SendOptions {
  /** The collector URL, e.g. http://localhost:8080/v1/events. */
  endpoint: string;
  /** Events per second (default 400). */
  rate?: number;
  batchSize?: number;
  concurrency?: number;
  headers?: Record<string, string>;
  /** Tries per batch on 429/5xx/network failures (default 6, backoff from 200 ms doubling). */
  attempts?: number;
  signal?: AbortSignal;
  onProgress?: (sent: number, total: number) => void;
}
export interface SendResult {
  sent: number; accepted: number; duplicates: number; rejected: number; ms: number;
  /** Batches answered (or given up on), and how many of them failed. */
  batches: number; failedBatches: number;
  /** Set when the run stopped early: the first batches all failed, so the collector is not there. */
  error?: string;
  /** Why the first failed batch failed (also when the run went on), e.g. the collector's 400 message. */
  failure?: string;
}

const RETRY: Backoff = { baseMs: 200, maxMs: Infinity, jitter: 'none' };

type Posted = { answer: CollectorAnswer } | { failure: string };

/** What a refusal says in words: the collector's `message` and the events' rejection reasons. */
async function refusal(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  let body: { message?: unknown; rejected?: { reason?: unknown }[] };
  try { body = JSON.parse(text) as typeof body; } catch { return ''; }
  const reasons = Array.isArray(body?.rejected) ? [...new Set(body.rejected.map((r) => r?.reason).filter((r) => typeof r === 'string'))] : [];
  const message = typeof body?.message === 'string' ? body.message : '';
  const said = [message, reasons.length ? `reasons: ${reasons.slice(0, 5).join(', ')}` : ''].filter(Boolean).join('; ');
  return said ? `: ${said}` : '';
}

async function postBatch(endpoint: string, events: FeedpulseEvent[], headers: Record<string, string>, attempts: number, signal?: AbortSignal): Promise<Posted> {
  let failure = 'aborted';
  for (let attempt = 0; attempt < attempts && !signal?.aborted; attempt++) {
    const body: Batch = { v: 1, sentAt: new Date().toISOString(), events };
    try {
      const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal });
      if (res.ok) return { answer: (await res.json()) as CollectorAnswer };
      failure = `the collector answered ${res.status}${await refusal(res)}`;
      if (res.status !== 429 && res.status < 500) return { failure };
      const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
      await sleep(retryAfter ? retryAfter : backoffMs(attempt, RETRY));
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      failure = `${endpoint} not reachable (${e.cause?.code ?? e.cause?.message ?? e.message})`;
      // An address that cannot even be parsed will not get better by waiting.
      if (e.cause?.code === 'ERR_INVALID_URL') return { failure };
      if (attempt + 1 < attempts) await sleep(backoffMs(attempt, RETRY));
    }
  }
  return { failure };
}

export async function sendEvents(events: FeedpulseEvent[], options: SendOptions): Promise<SendResult> {
  const { endpoint, rate = 400, batchSize = 50, concurrency = 4, headers = {}, attempts = 6, signal, onProgress } = options;
  const result: SendResult = { sent: 0, accepted: 0, duplicates: 0, rejected: 0, batches: 0, failedBatches: 0, ms: 0 };
  const started = Date.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < events.length && !signal?.aborted && !result.error; i += batchSize) {
    const batch = events.slice(i, i + batchSize);
    // Pace by the clock: batch k leaves no earlier than k * batchSize / rate seconds after start.
    const due = started + (i / rate) * 1000;
    if (due > Date.now()) await sleep(due - Date.now());
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    if (result.error) break;
    const p: Promise<void> = postBatch(endpoint, batch, headers, attempts, signal).then((posted) => {
      result.sent += batch.length;
      result.batches += 1;
      if ('failure' in posted) {
        result.failedBatches += 1;
        result.failure ??= posted.failure;
        onProgress?.(result.sent, events.length);
        // Nothing got through and a whole round of requests failed: stop instead of spending
        // minutes retrying every remaining batch against a collector that is not there.
        if (result.accepted + result.duplicates + result.rejected === 0 && result.failedBatches >= concurrency) result.error = posted.failure;
        return;
      }
      const { answer } = posted;
      result.accepted += answer.accepted;
      result.duplicates += answer.duplicates;
      result.rejected += answer.rejected.length;
      onProgress?.(result.sent, events.length);
    }).finally(() => { inFlight.delete(p); });
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  result.ms = Date.now() - started;
  return result;
}
