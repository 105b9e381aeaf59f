// Events on the wire format and the batch that carries them: the one place tests build them.
import { nanoid } from 'nanoid';
import type { FeedpulseEvent, Scale } from '../../src/core/types';

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

/** A rating from a visitor of its own: `feedbackEvent` with the rating, scale, comment, page and time given. */
export function ratingEvent(project: string, rating: number, options: { scale?: Scale; comment?: string; path?: string; ts?: number } = {}): FeedpulseEvent {
  const path = options.path ?? '/checkout';
  return feedbackEvent(project, {
    ts: new Date(options.ts ?? Date.now()).toISOString(), anonymousId: nanoid(), sessionId: nanoid(),
    page: { url: `https://shop.example${path}`, path, title: 'Shop' },
    data: { rating, scale: options.scale ?? 'stars', ...(options.comment ? { comment: options.comment } : {}) },
  } as Partial<FeedpulseEvent>);
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
    else if (i % 5 === 3) out.push(ratingEvent(project, 7 + (i % 4), { scale: 'nps', path: '/account' }));
    else out.push(ratingEvent(project, 2 + (i % 4), { comment: i % 2 ? 'Nice and quick' : undefined, path: i % 3 ? '/product' : '/cart' }));
  }
  return out;
}
