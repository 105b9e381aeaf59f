// HTTP answer → action (docs/contract.md, "Answers"), and the per-event outcome of a 2xx answer for both
// transports: the collector's `rejected` list, and Kafka REST Proxy v2 `offsets[].error_code`.
import { describe, it, expect } from 'vitest';
import { verdict, OK, DROP, PAUSE, SPLIT, RETRY } from '../../src/core/status';
import { makeTransport, REFUSED, AGAIN, type Transport } from '../../src/core/transport';
import type { FeedpulseEvent } from '../../src/core/types';

const events = ['a', 'b', 'c', 'd', 'e'].map((id) => ({
  id, type: 'track', ts: '2026-11-25T10:00:00.000Z', project: 'p', anonymousId: `anon-${id}`, sessionId: 's',
  page: { url: 'https://x.test/', path: '/' }, data: { name: id },
}) as FeedpulseEvent);

/** The ids an answer refuses for good and those to send again. */
const outcome = (t: Transport, answer: unknown, list: FeedpulseEvent[]) => {
  const fates = t._fates(answer, list);
  expect(fates).toHaveLength(list.length);
  return { drop: list.filter((_, i) => fates[i] === REFUSED).map((e) => e.id), retry: list.filter((_, i) => fates[i] === AGAIN).map((e) => e.id) };
};

describe('verdict', () => {
  const names = ['retry', 'ok', 'drop', 'pause', 'split'];
  it.each([
    [200, OK], [201, OK], [202, OK], [204, OK],
    [400, DROP], [422, DROP],
    [401, PAUSE], [403, PAUSE],
    [413, SPLIT],
    [408, RETRY], [425, RETRY], [429, RETRY], [500, RETRY], [502, RETRY], [503, RETRY], [504, RETRY],
    [0, RETRY], [404, RETRY], [302, RETRY],
  ])('%i → verdict %i', (status, action) => {
    expect(names[verdict(status)]).toBe(names[action]);
  });
  it('gives five distinct verdicts', () => {
    expect(new Set([OK, DROP, PAUSE, SPLIT, RETRY]).size).toBe(5);
  });
});

describe('json transport', () => {
  const t = makeTransport('https://collect.test/v1/events');
  it('posts {v:1, sentAt, events} as application/json, text/plain when the page leaves', () => {
    expect(t._url).toBe('https://collect.test/v1/events');
    expect(t._type).toBe('application/json');
    expect(t._leave).toBe('text/plain');
    expect(JSON.parse(t._body(events.slice(0, 2), '2026-11-25T10:00:01.000Z'))).toEqual({ v: 1, sentAt: '2026-11-25T10:00:01.000Z', events: events.slice(0, 2) });
  });

  it('drops exactly the ids of the batch listed as rejected', () => {
    const answer = { accepted: 3, duplicates: 0, rejected: [{ id: 'b', reason: 'bad rating' }, { id: 'zzz', reason: 'not ours' }, { id: 'e', reason: 'x' }] };
    expect(outcome(t, answer, events)).toEqual({ drop: ['b', 'e'], retry: [] });
  });

  it('treats an answer without a rejected list (or no JSON) as all accepted', () => {
    for (const answer of [undefined, null, {}, { rejected: 'no' }, 'text']) expect(outcome(t, answer, events)).toEqual({ drop: [], retry: [] });
  });
});

describe('kafka-rest transport', () => {
  const t = makeTransport('https://proxy.test:8082/', 'fp events');
  it('posts records keyed by anonymousId to <endpoint>/topics/<topic>', () => {
    expect(t._url).toBe('https://proxy.test:8082/topics/fp%20events');
    expect(t._type).toBe('application/vnd.kafka.json.v2+json');
    expect(t._leave).toBe('application/vnd.kafka.json.v2+json');
    expect(JSON.parse(t._body(events.slice(0, 2), 'x'))).toEqual({ records: [{ key: 'anon-a', value: events[0] }, { key: 'anon-b', value: events[1] }] });
  });

  it('retries records with a retriable error_code, drops non-retriable ones, accepts the rest', () => {
    const answer = {
      key_schema_id: null, value_schema_id: null,
      offsets: [
        { partition: 0, offset: 10, error_code: null, error: null },
        { partition: null, offset: null, error_code: 50003, error: 'Retriable Kafka error' },
        { partition: null, offset: null, error_code: 50002, error: 'Kafka error: RecordTooLargeException' },
        { partition: null, offset: null, error_code: 2, error: 'retriable (REST Proxy v1 wording)' },
        { partition: null, offset: null, error_code: 1, error: 'non-retriable (REST Proxy v1 wording)' },
      ],
    };
    expect(outcome(t, answer, events)).toEqual({ drop: ['c', 'e'], retry: ['b', 'd'] });
  });

  it('retries records the answer has no offset for', () => {
    expect(outcome(t, { offsets: [{ partition: 0, offset: 1 }, { partition: 0, offset: 2, error_code: null }] }, events.slice(0, 3)))
      .toEqual({ drop: [], retry: ['c'] });
  });

  it('treats a 2xx without offsets as all accepted', () => {
    expect(outcome(t, undefined, events)).toEqual({ drop: [], retry: [] });
  });
});
