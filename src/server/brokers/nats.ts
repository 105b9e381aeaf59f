// NATS set-up shared by the collector's sink and the consumer's source: the connection (server
// list, pings, reconnects) and the JetStream stream both create when it is missing, with the same
// subjects, duplicate window and bounds, so whichever starts first creates the same stream.
import type { JetStreamManager, NatsConnection } from 'nats';
import { importPeer } from '../peer.js';
import { neededBy } from './spec.js';
import { defined } from '../defined.js';

/** How often the client pings the server (ms); see the connect options below. */
export const NATS_PING_INTERVAL_MS = 5000;

/** `nats://a:4222,nats://b:4222` (or `nats://a:4222,b:4222`): one entry per server. */
export const natsServers = (url: string): string[] => url.split(',').map((s) => s.trim()).filter(Boolean);

/** Loads nats on first use (an optional peer dependency). */
export const loadNats = () => importPeer('nats', neededBy('nats'), () => import('nats'));

/** Connects to the servers of `url`, reconnecting on its own for as long as the client lives. */
export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  const { connect } = await loadNats();
  return connect({
    servers: natsServers(url),
    name,
    timeout: 3000,
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    reconnectJitter: 250,
    // A server gone silent without closing the connection is noticed after maxPingOut unanswered
    // pings: with nats.js's default 2-minute interval that took minutes of "ok" health and 503s
    // after sinkTimeoutMs; now about 10-15 s.
    pingInterval: NATS_PING_INTERVAL_MS,
    maxPingOut: 2,
    ignoreClusterUpdates: true,
    noAsyncTraces: true, // no Error (stack capture) per publish: it was the hottest cost
  });
}

/** What the stream is, when Feedpulse creates it. */
export interface StreamSettings {
  /** Stream name (default `FEEDPULSE`). */
  stream?: string;
  /** Subject prefix: the stream takes `<prefix>.>` (default `feedpulse`). */
  subjectPrefix?: string;
  /** Window in which a resent `Nats-Msg-Id` is dropped as a duplicate (default 2 minutes). */
  duplicateWindowMs?: number;
  /** Oldest message kept (default 7 days; 0 = no bound); the duplicate window is cut to it. */
  maxAgeMs?: number;
  /** Most bytes kept; past it the oldest messages go (default 10 GiB; 0 = no bound). */
  maxBytes?: number;
}

export const STREAM_DEFAULTS = {
  stream: 'FEEDPULSE', subjectPrefix: 'feedpulse', duplicateWindowMs: 120_000,
  maxAgeMs: 7 * 24 * 3600 * 1000, maxBytes: 10 * 1024 ** 3,
} as const;

/**
 * Creates the stream when it is missing (file storage, the oldest messages discarded at a bound).
 * An existing stream is left as it is: its limits are the operator's (`nats stream edit`).
 */
export async function ensureStream(jsm: JetStreamManager, settings: StreamSettings = {}): Promise<void> {
  const { stream, subjectPrefix, duplicateWindowMs, maxAgeMs, maxBytes } = { ...STREAM_DEFAULTS, ...defined(settings) };
  const { StorageType, DiscardPolicy, nanos } = await loadNats();
  await jsm.streams.info(stream).catch(async () => {
    await jsm.streams.add({
      name: stream,
      subjects: [`${subjectPrefix}.>`],
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      // JetStream refuses a duplicate window longer than the age limit.
      duplicate_window: nanos(maxAgeMs > 0 ? Math.min(duplicateWindowMs, maxAgeMs) : duplicateWindowMs),
      // 0 is JetStream's "no limit" for the age; -1 for the bytes.
      max_age: maxAgeMs > 0 ? nanos(maxAgeMs) : 0,
      max_bytes: maxBytes > 0 ? maxBytes : -1,
    });
  });
}
