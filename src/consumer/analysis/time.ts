// Time keys for buckets. Analysis uses the event's own time so a replay after restart gives the same
// buckets, whatever the wall clock says.
import type { ConsumedEvent } from '../types';

const MINUTE = 60_000;
/** How far a client clock may run ahead of the collector's before we trust receivedAt instead. */
const MAX_CLOCK_AHEAD = 5 * MINUTE;

/** When the event happened: the client's ts, unless it is invalid or in the future of receipt. */
export function eventTime(event: ConsumedEvent): number {
  const ts = Date.parse(event.ts);
  const received = event.receivedAt ? Date.parse(event.receivedAt) : NaN;
  if (Number.isFinite(ts) && (!Number.isFinite(received) || ts <= received + MAX_CLOCK_AHEAD)) return ts;
  if (Number.isFinite(received)) return received;
  return Number.isFinite(ts) ? ts : 0;
}

export const minuteKey = (at: number): number => Math.floor(at / MINUTE);
export const minuteStart = (key: number): number => key * MINUTE;
/** UTC calendar day, e.g. 2026-11-25. */
export const dayKey = (at: number): string => new Date(at).toISOString().slice(0, 10);

export interface Bucket { sum: number; count: number }

/** Adds a value; true when the bucket was new (callers trim only then, not on every event). */
export function addToBucket<K extends string | number>(buckets: Record<K, Bucket>, key: K, value: number): boolean {
  const fresh = buckets[key] === undefined;
  const bucket = fresh ? (buckets[key] = { sum: 0, count: 0 }) : buckets[key];
  bucket.sum += value;
  bucket.count += 1;
  return fresh;
}

/**
 * Drop numeric (minute) keys older than `keep` minutes before `newest`, so state stays small.
 * Called when the newest minute advances; it only does the work on the hour (or after a jump of
 * more than an hour), so replaying days of history does not scan the buckets every minute.
 */
export function trimMinutes<V>(byMinute: Record<number, V>, newest: number, keep: number, previous = newest - 61): void {
  if (newest % 60 !== 0 && newest - previous <= 60) return;
  const oldest = newest - keep;
  for (const key of Object.keys(byMinute)) if (Number(key) < oldest) delete byMinute[Number(key)];
}

/** Drop day keys beyond the newest `keep` days. */
export function trimDays<V>(byDay: Record<string, V>, keep: number): void {
  const keys = Object.keys(byDay).sort();
  for (const key of keys.slice(0, Math.max(0, keys.length - keep))) delete byDay[key];
}

export const average = (b: Bucket | undefined): number | null => (b && b.count ? b.sum / b.count : null);
