// outcome(status, answer, batch): what one answer means for its events and the sends after it, and
// the queue's states per id (fresh, read, in flight) with its bounded in-memory copy.
import { describe, it, expect } from 'vitest';
import { outcome, SEND_ON, RETRY_LATER, SPLIT_BATCH, PAUSE_SENDING } from '../../src/core/outcome';
import { createQueueState, LEAVE_BYTES } from '../../src/core/queue';
import { makeTransport } from '../../src/core/transport';
import { eventBytes } from '../../src/core/batch';
import type { FeedpulseEvent } from '../../src/core/types';

const event = (id: string, name = id) => ({
  id, type: 'track', ts: '2026-11-25T10:00:00.000Z', project: 'p', anonymousId: 'a', sessionId: 's',
  page: { url: 'https://x.test/', path: '/' }, data: { name },
}) as FeedpulseEvent;
const batch = ['a', 'b', 'c'].map((id) => event(id));
const json = makeTransport('https://collect.test/v1/events')._fates;
const kafka = makeTransport('https://proxy.test/', 'fp')._fates;

describe('outcome', () => {
  it('2xx: all delivered, sending goes on', () => {
    expect(outcome(200, { accepted: 3, duplicates: 0, rejected: [] }, batch, json))
      .toEqual({ _delivered: ['a', 'b', 'c'], _dropped: [], _reason: 'rejected', _next: SEND_ON });
  });
  it('2xx listing rejected ids: those dropped, the rest delivered', () => {
    expect(outcome(200, { rejected: [{ id: 'b', reason: 'bad' }] }, batch, json))
      .toMatchObject({ _delivered: ['a', 'c'], _dropped: ['b'], _reason: 'rejected', _next: SEND_ON });
  });
  it('2xx with Kafka records to send again: delivered and dropped settle, the rest waits for a retry', () => {
    const answer = { offsets: [{ error_code: null }, { error_code: 50003 }, { error_code: 50002 }] };
    expect(outcome(200, answer, batch, kafka)).toEqual({ _delivered: ['a'], _dropped: ['c'], _reason: 'rejected', _next: RETRY_LATER });
  });
  it.each([400, 422])('%i: the batch is dropped with the status as reason, sending goes on', (status) => {
    expect(outcome(status, undefined, batch, json)).toEqual({ _delivered: [], _dropped: ['a', 'b', 'c'], _reason: `HTTP ${status}`, _next: SEND_ON });
  });
  it('413: split; for a single event, dropped', () => {
    expect(outcome(413, undefined, batch, json)._next).toBe(SPLIT_BATCH);
    expect(outcome(413, undefined, batch.slice(0, 1), json)).toEqual({ _delivered: [], _dropped: ['a'], _reason: 'HTTP 413', _next: SEND_ON });
  });
  it.each([401, 403])('%i: nothing settles, sending pauses', (status) => {
    expect(outcome(status, { message: 'no' }, batch, json)).toEqual({ _delivered: [], _dropped: [], _reason: '', _next: PAUSE_SENDING });
  });
  it.each([0, 404, 408, 425, 429, 500, 503])('%i: nothing settles, retry later', (status) => {
    expect(outcome(status, undefined, batch, json)).toMatchObject({ _delivered: [], _dropped: [], _next: RETRY_LATER });
  });
});

describe('queue state', () => {
  it('counts what was recorded and, after a read, what the outbox holds plus what was recorded during the read', () => {
    const q = createQueueState();
    q._recorded(event('a'));
    q._recorded(event('b'));
    expect(q._pending()).toBe(2);
    q._reading();
    q._recorded(event('c')); // during the read: in it (c) or not (d), counted once either way
    q._recorded(event('d'));
    q._read([event('x'), event('a'), event('b'), event('c')]); // x: another tab's
    expect(q._pending()).toBe(5);
    q._settled(['x', 'a']);
    expect(q._pending()).toBe(3);
  });
  it('page-leave sends take fresh events only: not what a drain read here or elsewhere, not what is in flight', () => {
    const q = createQueueState();
    for (const id of ['a', 'b', 'c', 'd']) q._recorded(event(id));
    q._reading();
    q._read([event('a')]);
    q._readElsewhere(['b']);
    q._sending(['c'], true);
    expect(q._leaving().map((e) => e.id)).toEqual(['d']);
    q._sending(['c'], false);
    expect(q._leaving().map((e) => e.id)).toEqual(['c', 'd']);
    q._settled(['c']);
    expect(q._leaving().map((e) => e.id)).toEqual(['d']);
  });
  it('keeps in memory only the oldest fresh events that fit one page-leave send, however many are queued', () => {
    const q = createQueueState();
    for (let i = 0; i < 5000; i++) q._recorded(event(`e${i}`, 'x'.repeat(200)));
    expect(q._pending()).toBe(5000);
    const kept = q._leaving();
    expect(kept.reduce((n, e) => n + eventBytes(e), 0)).toBeLessThanOrEqual(LEAVE_BYTES);
    expect(kept.length).toBeGreaterThan(100);
    expect(kept.map((e) => e.id)).toEqual(Array.from({ length: kept.length }, (_, i) => `e${i}`));
    // Read by a drain: the memory is free again for the events recorded next.
    q._reading();
    q._read(kept);
    q._recorded(event('next'));
    expect(q._leaving().map((e) => e.id)).toEqual(['next']);
  });
});
