// Shared by the consumer/dashboard tests: posting events, reading counts, a scripted source (the
// events themselves come from ./events.ts).
import type { FeedpulseEvent } from '../../src/core/types';
export { clickEvent, mixedEvents, ratingEvent } from './events';
import type { ConsumerSource, Deliver, Delivery } from '../../src/consumer/sources/source';

export async function postEvents(endpoint: string, events: FeedpulseEvent[]): Promise<{ accepted: number; duplicates: number; rejected: unknown[] }> {
  const res = await fetch(endpoint, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ v: 1, sentAt: new Date().toISOString(), events }),
  });
  if (!res.ok) throw new Error(`collector answered ${res.status}: ${await res.text()}`);
  return res.json() as Promise<{ accepted: number; duplicates: number; rejected: unknown[] }>;
}

// The one waitFor (./wait.ts), for the files that take everything else from here.
export { waitFor } from './wait';

/** The counts a restart must leave unchanged. */
export function countsOf(view: {
  processed: number; alertCount: number; ratings: { scale: string; count: number; average: number | null; distribution: number[] }[];
  nps: { score: number | null; total: number }; csat: { total: number; satisfied: number }; volume: { total: number };
  sentiment: { count: number }; hotSpots: { selector: string; count: number }[]; comments: { id: string }[];
}) {
  return {
    processed: view.processed, alerts: view.alertCount, volume: view.volume.total,
    ratings: view.ratings.map((r) => ({ scale: r.scale, count: r.count, average: r.average, distribution: r.distribution })),
    nps: view.nps, csat: view.csat, sentiment: view.sentiment.count, clicks: view.hotSpots,
    comments: view.comments.map((c) => c.id),
  };
}

/** True when something listens on host:port (a broker probe). */
export async function reachable(port: number, host = '127.0.0.1', timeoutMs = 800): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A source the test drives: `push(batch)` delivers a batch and resolves once the consumer handled it. */
export function scriptedSource(kind: ConsumerSource['kind'] = 'embedded'): ConsumerSource & { push(batch: Delivery[]): Promise<void> } {
  let deliver: Deliver = async () => undefined;
  return {
    kind, id: 'scripted', description: 'scripted test source',
    async start(_p, d) { deliver = d; },
    push: (batch) => deliver(batch),
    async stop() {},
    async close() {},
  };
}
