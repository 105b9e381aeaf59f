// How a batch travels: where it goes, how its body looks, and which events of a 2xx answer were
// still refused (dropped for good, or to be retried). One shape, two wire formats:
// - json (docs/contract.md, "Batch"): POST <endpoint> {v:1, sentAt, events}; the collector's 200 answer lists
//   the events it rejected ({rejected:[{id, reason}]}), and only those are dropped.
// - kafka-rest, when a topic is given: Kafka REST Proxy v2 produce API (Confluent REST Proxy,
//   Redpanda HTTP Proxy), POST <endpoint>/topics/<topic>, records keyed by anonymousId so one
//   visitor's events stay in one partition, in order. The 200 answer has one `offsets[i]` per
//   record i; a record whose error_code is not null failed. Confluent uses 50003 (retriable),
//   50002 (non-retriable), older docs 1 (non-retriable) / 2 (retriable).
import type { CollectorAnswer, FeedpulseEvent } from './types';

// `_` names: the bundle's minifier shortens them (properties starting with `_` are mangled).
export interface Transport {
  _url: string;
  /** content-type of a normal send. */
  _type: string;
  /** content-type when the page is going away (keepalive/beacon): CORS-simple where possible. */
  _leave: string;
  _body(events: FeedpulseEvent[], sentAt: string): string;
  /** From a 2xx answer body, each event's fate: DELIVERED, REFUSED (for good) or AGAIN (send later). */
  _fates(answer: unknown, events: FeedpulseEvent[]): Fate[];
}

export const DELIVERED = 0, REFUSED = 1, AGAIN = 2;
export type Fate = typeof DELIVERED | typeof REFUSED | typeof AGAIN;

const KAFKA = 'application/vnd.kafka.json.v2+json';

/** Per-record Kafka codes that will fail again however often they are sent: drop those records. */
const fatal = (code: number) => code === 1 || code === 50002 || (code >= 42200 && code < 42300);

export const makeTransport = (endpoint: string, topic?: string | false): Transport => ({
  _url: topic ? `${endpoint.replace(/\/+$/, '')}/topics/${encodeURIComponent(topic)}` : endpoint,
  _type: topic ? KAFKA : 'application/json',
  // text/plain needs no CORS preflight, which a keepalive request on a closing page cannot wait
  // for. The Kafka proxy accepts nothing but its own type, so a closing page sends that too.
  _leave: topic ? KAFKA : 'text/plain',
  _body: (events, sentAt) => JSON.stringify(topic ? { records: events.map((e) => ({ key: e.anonymousId, value: e })) } : { v: 1, sentAt, events }),
  _fates(answer, events) {
    const list = (answer as { offsets?: { error_code?: number | null }[] } & CollectorAnswer | null)?.[topic ? 'offsets' : 'rejected'];
    return events.map((e, i) => {
      // json: a listed id is refused (code 1). Kafka: a missing entry is an unknown outcome, send
      // again (the collector side dedupes by id); null or 0 is delivered.
      const code = !Array.isArray(list) ? 0 : topic ? (i in list ? (list[i] as { error_code?: number | null })?.error_code : -1)
        : +list.some((r) => (r as { id?: string })?.id === e.id);
      return !code ? DELIVERED : fatal(code) ? REFUSED : AGAIN;
    });
  },
});
