// Shared by the consumer/dashboard tests: events on the wire format, posting them, waiting.
import { nanoid } from 'nanoid';
import type { FeedpulseEvent, Scale } from '../../src/core/types';
import type { ConsumerSource, Deliver, Delivery } from '../../src/consumer/sources/source';

export function feedbackEvent(project: string, rating: number, options: { scale?: Scale; comment?: string; path?: string; ts?: number } = {}): FeedpulseEvent {
  const path = options.path ?? '/checkout';
  return {
    id: nanoid(), type: 'feedback', ts: new Date(options.ts ?? Date.now()).toISOString(), project,
    anonymousId: nanoid(), sessionId: nanoid(), page: { url: `https://shop.example${path}`, path, title: 'Shop' },
    data: { rating, scale: options.scale ?? 'stars', ...(options.comment ? { comment: options.comment } : {}) },
  };
}

export function clickEvent(project: string, selector: string, path = '/'): FeedpulseEvent {
  return {
    id: nanoid(), type: 'click', ts: new Date().toISOString(), project, anonymousId: nanoid(), sessionId: nanoid(),
    page: { url: `https://shop.example${path}`, path }, data: { selector, tag: 'button', text: 'Buy' },
  };
}

/** A varied set: every scale, some comments, a few clicks. No alert-raising feedback. */
export function mixedEvents(project: string, n: number): FeedpulseEvent[] {
  const out: FeedpulseEvent[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 5 === 4) out.push(clickEvent(project, i % 2 ? 'button.buy' : 'a.home', '/product'));
    else if (i % 5 === 3) out.push(feedbackEvent(project, 7 + (i % 4), { scale: 'nps', path: '/account' }));
    else out.push(feedbackEvent(project, 2 + (i % 4), { comment: i % 2 ? 'Nice and quick' : undefined, path: i % 3 ? '/product' : '/cart' }));
  }
  return out;
}

export async function postEvents(endpoint: string, events: FeedpulseEvent[]): Promise<{ accepted: number; duplicates: number; rejected: unknown[] }> {
  const res = await fetch(endpoint, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ v: 1, sentAt: new Date().toISOString(), events }),
  });
  if (!res.ok) throw new Error(`collector answered ${res.status}: ${await res.text()}`);
  return res.json() as Promise<{ accepted: number; duplicates: number; rejected: unknown[] }>;
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

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
