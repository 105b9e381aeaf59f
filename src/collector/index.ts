// Node entry (`feedpulse/collector`): the collector request handler, its sinks and the reader of
// the embedded log (used by the consumer/dashboard).
export { createCollector, type Collector } from './collector.js';
export { createSink, type SinkOptions } from './sinks/index.js';
export { openLogReader } from './log/reader.js';
export { SinkUnavailableError } from './errors.js';
export { SERVER_TIMEOUTS, MAX_CONNECTIONS_PER_IP, limitConnectionsPerIp } from './server-limits.js';
export { importPeer } from '../server/peer.js';
export type { CollectorOptions } from './options.js';
export type { StoredEvent, Sink, SinkWriteResult, LogReader, LogRecord } from './types.js';
