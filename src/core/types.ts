// Public types shared by every part (docs/contract.md). The collector and consumer import types
// from here, and the wire rules from src/wire, and nothing else from the browser parts.
import type { Scale } from '../wire/scales';

export type { Scale };
export type EventType = 'feedback' | 'click' | 'track' | 'identify' | 'pageview';

export interface PageContext {
  url: string;
  path: string;
  title?: string;
  referrer?: string;
}

export interface FeedbackData {
  rating: number;
  scale: Scale;
  comment?: string;
  tags?: string[];
}
export interface ClickData {
  selector: string;
  tag: string;
  text?: string;
  href?: string;
}
export interface TrackData {
  name: string;
  props?: Record<string, unknown>;
}
export interface IdentifyData {
  traits?: Record<string, unknown>;
}
export type PageviewData = Record<string, never>;

export interface EventDataByType {
  feedback: FeedbackData;
  click: ClickData;
  track: TrackData;
  identify: IdentifyData;
  pageview: PageviewData;
}

interface EventBase<T extends EventType> {
  /** nanoid(21), made once when the event is made; never changed by retries or reloads. */
  id: string;
  type: T;
  /** ISO 8601 time the event was made (client clock). */
  ts: string;
  project: string;
  anonymousId: string;
  sessionId: string;
  userId?: string;
  page: PageContext;
  data: EventDataByType[T];
}

/** One event on the wire (docs/contract.md, "Events"). */
export type FeedpulseEvent = { [T in EventType]: EventBase<T> }[EventType];

/** The body of `POST <endpoint>` for the `json` transport. */
export interface Batch {
  v: 1;
  sentAt: string;
  events: FeedpulseEvent[];
}

/** The collector's 200 answer (docs/contract.md, "Answers"). */
export interface CollectorAnswer {
  accepted: number;
  duplicates: number;
  rejected: { id: string; reason: string }[];
}

export type TransportName = 'json' | 'kafka-rest';

export interface ClientConfig {
  /** Where batches go: the collector's `/v1/events`, or a Kafka REST Proxy base URL. */
  endpoint: string;
  project: string;
  transport?: TransportName;
  /** Kafka topic for the `kafka-rest` transport (default `feedpulse`). */
  topic?: string;
  /** Extra request headers (e.g. a public write key). Not sent with beacons. */
  headers?: Record<string, string>;
  /** Most events in one request (default 50). */
  batchSize?: number;
  /** Most bytes in one request body (default 60,000: under the 64 KB keepalive limit). */
  batchBytes?: number;
  /** How long an event may wait for companions before a send, in ms (default 1,000). */
  flushInterval?: number;
  /** Most events kept in the outbox (default 5,000). */
  maxQueueEvents?: number;
  /** Most bytes kept in the outbox (default 5,000,000). */
  maxQueueBytes?: number;
  /** `clicks` (default) captures clicks on interactive elements; `off` disables. */
  autocapture?: 'clicks' | 'off' | boolean;
  /** Send a `pageview` on load and on SPA route changes (default true). */
  pageviews?: boolean;
  /** Fraction 0..1 of sessions whose non-feedback events are kept (default 1). Feedback is never sampled. */
  sampleRate?: number;
  /** While `pending`, nothing is stored or sent (default `granted`). */
  consent?: 'granted' | 'pending';
  /** Edit or drop (return null) an event before it is stored. */
  beforeSend?: (event: FeedpulseEvent) => FeedpulseEvent | null | undefined;
  /** Replace e-mails, card and phone numbers in comments and props (default true). */
  scrubPII?: boolean;
  debug?: boolean;
  /** Longest wait between retries of a failed send, in ms (default 30,000). Backoff is exponential
   *  with full jitter below this cap; a server's Retry-After is honoured as given. */
  maxRetryDelay?: number;
}

export interface FlushResult {
  sent: number;
  pending: number;
}

export interface SentInfo {
  count: number;
  ids: string[];
}
export interface ErrorInfo {
  status?: number;
  message: string;
}
export interface DropInfo {
  count: number;
  reason: string;
  ids?: string[];
}
export interface ClientEvents {
  sent: SentInfo;
  error: ErrorInfo;
  drop: DropInfo;
}
export type ClientEventName = keyof ClientEvents;

export interface FeedbackInput {
  rating: number;
  scale: Scale;
  comment?: string;
  tags?: string[];
}

/** The client API (docs/sdk.md): `window.feedpulse`, `init()` and `createClient()` return it. */
export interface FeedpulseClient {
  track(name: string, props?: Record<string, unknown>): Promise<void>;
  feedback(input: FeedbackInput): Promise<void>;
  identify(userId: string, traits?: Record<string, unknown>): Promise<void>;
  open(): void;
  close(): void;
  flush(): Promise<FlushResult>;
  shutdown(): Promise<void>;
  on<K extends ClientEventName>(name: K, handler: (info: ClientEvents[K]) => void): () => void;
  /** Grant or withdraw consent at run time. */
  setConsent(consent: 'granted' | 'pending'): void;
  /** Events waiting in the outbox, whether the browser reports being online, where events are
   *  kept, and the consent in force (undefined: the client is off, its config was refused). */
  status(): { pending: number; online: boolean; storage: 'indexeddb' | 'memory'; consent?: 'granted' | 'pending' };
}
