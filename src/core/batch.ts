// Splits queued events (oldest first) into request-sized batches by count and bytes.
import type { FeedpulseEvent } from './types';

/** Size of the event's JSON, plus a comma. Characters, not UTF-8 bytes: events are mostly ASCII,
 *  and batchBytes (60,000) leaves room under the 64 KB keepalive limit for the rest. */
export const eventBytes = (event: FeedpulseEvent): number => JSON.stringify(event).length + 1;

// Room for the envelope ({"v":1,"sentAt":"…","events":[]}) and, per event, kafka-rest's
// {"key":"…","value":…} wrapper.
const ENVELOPE = 80;
const PER_EVENT = 48;

/** Batches of at most `maxCount` events and about `maxBytes` body bytes. An event too big for any
 *  batch goes alone (the server answers 413 and it is dropped). */
export function toBatches(events: FeedpulseEvent[], maxCount: number, maxBytes: number): FeedpulseEvent[][] {
  const batches: FeedpulseEvent[][] = [];
  let batch: FeedpulseEvent[] = [], bytes = ENVELOPE;
  for (const e of events) {
    const size = eventBytes(e) + PER_EVENT;
    if (!batch.length || batch.length >= maxCount || bytes + size > maxBytes) {
      batches.push((batch = []));
      bytes = ENVELOPE;
    }
    batch.push(e);
    bytes += size;
  }
  return batches;
}
