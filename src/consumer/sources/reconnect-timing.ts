// How the sources retry a broker: after 0.5 s, 1 s, 2 s … (at most 30 s). Slower than the sinks: a
// dashboard that catches up a few seconds later loses nothing (the broker keeps the messages),
// while a collector that is down answers 503 to visitors.
import type { Backoff } from '../../server/backoff';

export const SOURCE_RECONNECT: Backoff = { baseMs: 500, maxMs: 30_000, jitter: 'none' };
