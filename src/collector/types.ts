// Types the collector exports (`feedpulse/collector`). The consumer/dashboard reads StoredEvent from
// the log, so its shape is a promise: extend additively only.
import type { FeedpulseEvent } from '../core/types.js';

/** An event as the collector stores it: the wire event plus server-side enrichment. */
export type StoredEvent = FeedpulseEvent & {
  /** ISO time the collector received the batch (server clock). */
  receivedAt: string;
  /** User-agent family from the request header, e.g. `Chrome`, `Firefox`, `Safari`, `bot`. */
  ua?: string;
  /** ISO 3166 alpha-2 country from a CDN header (cf-ipcountry and friends) when present. */
  country?: string;
  /** The client's original `ts` when `ts` was corrected for clock skew (batch `sentAt` vs server time). */
  clientTs?: string;
};

/** Where a write goes, when the request names it. */
export interface SinkTarget {
  topic?: string;
}

/** What a sink did with one write. */
export interface SinkWriteResult {
  /** Ids the sink found it already held (e.g. JetStream's duplicate window); counted as duplicates. */
  duplicateIds: string[];
}

/**
 * Where accepted events go. `write` resolves only once the events are durably held (fsync,
 * publisher confirm, JetStream ack); it rejects with SinkUnavailableError when they are not.
 */
export interface Sink {
  readonly kind: 'embedded' | 'amqp' | 'nats' | 'kafka';
  /** Resolves when the sink has loaded its local state (it may still be waiting for its broker). */
  readonly ready: Promise<void>;
  /** True while the sink can take writes (broker connected, log open). */
  isUp(): boolean;
  /** True when the sink already durably holds this id (its durable id index). */
  has(id: string): boolean;
  /** `target.topic`: the Kafka REST route's topic (the Kafka sink publishes there; other sinks ignore it). */
  write(events: StoredEvent[], target?: SinkTarget): Promise<SinkWriteResult>;
  close(): Promise<void>;
  /** Gauges for /metrics, e.g. `{ log_end_offset: 1234, dedupe_index_ids: 1200 }` (optional). */
  stats?(): Record<string, number>;
}

/** A consumer's view of the embedded log (works from another process too). */
export interface LogRecord {
  offset: number;
  event: StoredEvent;
}
export interface LogReader {
  /** Up to `max` records from `fromOffset` on (starting at the oldest retained one if older). */
  read(fromOffset: number, max: number): Promise<LogRecord[]>;
  /** The offset the next appended record will get (= number of records ever appended). */
  endOffset(): Promise<number>;
  /** Calls `onAppend` (coalesced) after records are appended; returns an unsubscribe function. */
  watch(onAppend: () => void): () => void;
  close(): Promise<void>;
}
