// Batching by count and bytes, and the outbox caps (oldest non-feedback events first).
import { describe, it, expect } from 'vitest';
import { eventBytes, toBatches } from '../../src/core/batch';
import { overCap } from '../../src/core/caps';
import type { FeedpulseEvent } from '../../src/core/types';

let n = 0;
const event = (type: FeedpulseEvent['type'] = 'track', pad = 0): FeedpulseEvent => ({
  id: `id-${++n}`, type, ts: new Date(Date.UTC(2026, 10, 25, 10, 0, 0, n)).toISOString(), project: 'p',
  anonymousId: 'a', sessionId: 's', page: { url: 'https://x.test/', path: '/' },
  data: type === 'feedback' ? { rating: 5, scale: 'stars', comment: 'x'.repeat(pad) } : { name: 'e', props: { pad: 'x'.repeat(pad) } },
} as FeedpulseEvent);
const ids = (batches: FeedpulseEvent[][]) => batches.map((b) => b.map((e) => e.id));

describe('toBatches', () => {
  it('splits by count, keeping order', () => {
    const events = Array.from({ length: 7 }, () => event());
    const batches = toBatches(events, 3, 1e9);
    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(batches.flat()).toEqual(events);
  });

  it('splits by bytes so that every JSON body stays under the limit', () => {
    const events = Array.from({ length: 40 }, () => event('track', 900));
    const batches = toBatches(events, 1000, 10_000);
    expect(batches.length).toBeGreaterThan(3);
    for (const b of batches) {
      const body = JSON.stringify({ v: 1, sentAt: new Date().toISOString(), events: b });
      const kafka = JSON.stringify({ records: b.map((e) => ({ key: e.anonymousId, value: e })) });
      expect(Math.max(body.length, kafka.length)).toBeLessThanOrEqual(10_000);
    }
    expect(batches.flat()).toEqual(events);
  });

  it('sends an event larger than the limit alone', () => {
    const [small, huge, small2] = [event(), event('track', 5000), event()];
    expect(ids(toBatches([small, huge, small2], 50, 2000))).toEqual([[small.id], [huge.id], [small2.id]]);
  });

  it('returns no batch for no events', () => {
    expect(toBatches([], 50, 60000)).toEqual([]);
  });

  it('measures an event by its JSON', () => {
    const e = event();
    expect(eventBytes(e)).toBe(JSON.stringify(e).length + 1);
  });
});

describe('overCap', () => {
  it('drops nothing under both caps', () => {
    expect(overCap([event(), event()], 5, 1e6)).toEqual([]);
  });

  it('drops the oldest non-feedback events first over the count cap', () => {
    const [f1, t1, t2, f2, t3] = [event('feedback'), event(), event('click'), event('feedback'), event()];
    expect(overCap([f1, t1, t2, f2, t3], 3, 1e9).map((e) => e.id)).toEqual([t1.id, t2.id]);
  });

  it('drops feedback only when nothing else is left, oldest first', () => {
    const [f1, t1, f2, f3] = [event('feedback'), event(), event('feedback'), event('feedback')];
    expect(overCap([f1, t1, f2, f3], 2, 1e9).map((e) => e.id)).toEqual([t1.id, f1.id]);
  });

  it('drops by bytes too', () => {
    const events = [event('track', 1000), event('track', 1000), event('feedback', 1000), event('track', 1000)];
    const limit = eventBytes(events[2]) + eventBytes(events[3]);
    expect(overCap(events, 1000, limit).map((e) => e.id)).toEqual([events[0].id, events[1].id]);
  });
});
