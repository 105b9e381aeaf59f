// How the sinks retry a broker: from 50–100 ms up to 2.5–5 s (equal jitter), so a short blip
// costs a fraction of a second and a long outage a connect attempt every few seconds.
import type { Backoff } from '../../server/backoff.js';

export const SINK_RECONNECT: Backoff = { baseMs: 100, maxMs: 5000, jitter: 'equal' };
