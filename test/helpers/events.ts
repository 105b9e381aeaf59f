// Events on the wire format and the batch that carries them: the one place tests build them.
import { nanoid } from 'nanoid';
import type { FeedpulseEvent } from '../../src/core/types';

/** A star-rating feedback event with a comment; `overrides` replaces whole fields (e.g. `data`). */
export function feedbackEvent(project: string, overrides: Partial<FeedpulseEvent> = {}): FeedpulseEvent {
  return {
    id: nanoid(),
    type: 'feedback',
    ts: new Date().toISOString(),
    project,
    anonymousId: 'anon-1',
    sessionId: 'sess-1',
    page: { url: 'https://shop.example/checkout', path: '/checkout', title: 'Checkout' },
    data: { rating: 4, scale: 'stars', comment: 'Fast checkout' },
    ...overrides,
  } as FeedpulseEvent;
}

export function trackEvent(project: string, name = 'clicked_buy'): FeedpulseEvent {
  return {
    id: nanoid(),
    type: 'track',
    ts: new Date().toISOString(),
    project,
    anonymousId: 'anon-2',
    sessionId: 'sess-2',
    page: { url: 'https://shop.example/', path: '/' },
    data: { name, props: { plan: 'pro', seats: 3 } },
  };
}

/** The body the SDK posts: `unknown[]` so tests can put malformed events in it. */
export const batchOf = (events: unknown[], sentAt = new Date().toISOString()) => JSON.stringify({ v: 1, sentAt, events });
