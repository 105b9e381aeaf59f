// Event time: figures use the event's own time so a replay after restart gives the same buckets,
// whatever the wall clock says.
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

export interface Bucket { sum: number; count: number }
export const average = (b: Bucket | undefined): number | null => (b && b.count ? b.sum / b.count : null);
