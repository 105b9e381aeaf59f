// Outbox caps: at most maxEvents events and maxBytes bytes stored. Over a cap, the oldest
// non-feedback events go first; feedback (a person's rating) goes only when nothing else is left.
import type { FeedpulseEvent } from './types';
import { eventBytes } from './batch';

/** The events (of `events`, oldest first) to drop to get under both caps. */
export function overCap(events: FeedpulseEvent[], maxEvents: number, maxBytes: number): FeedpulseEvent[] {
  let count = events.length;
  let bytes = 0;
  for (const event of events) bytes += eventBytes(event);
  // Candidates in drop order: every non-feedback event oldest first, then feedback oldest first
  // (sort is stable: within each kind the order stays).
  const candidates = [...events].sort((a, b) => +(a.type === 'feedback') - +(b.type === 'feedback'));
  const dropped: FeedpulseEvent[] = [];
  for (const event of candidates) {
    if (count <= maxEvents && bytes <= maxBytes) break;
    dropped.push(event);
    count--;
    bytes -= eventBytes(event);
  }
  return dropped;
}
