// Outbox caps: at most maxEvents events and maxBytes bytes stored. Over a cap, the oldest
// non-feedback events go first; feedback (a person's rating) goes only when nothing else is left.
import type { FeedpulseEvent } from './types';
import { eventBytes } from './batch';

/** The events (of `events`, oldest first) to drop to get under both caps. */
export function overCap(events: FeedpulseEvent[], maxEvents: number, maxBytes: number): FeedpulseEvent[] {
  let count = events.length;
  let bytes = 0;
  for (const e of events) bytes += eventBytes(e);
  const isFeedback = (e: FeedpulseEvent): boolean => e.type == 'feedback';
  // Candidates in drop order: every non-feedback event oldest first, then feedback oldest first.
  return events.filter((e) => !isFeedback(e)).concat(events.filter(isFeedback))
    .filter((e) => (count > maxEvents || bytes > maxBytes) && !!(count--, (bytes -= eventBytes(e)), 1));
}
