// Node entry `feedpulse/consumer` (README.md, "Two commands"): the one-process server with the live
// dashboard, the consumer to run on its own (with a source chosen by FEEDPULSE_BROKER, or one of
// your own), and the alert rules. The analysis and the traffic simulator are internal.
export { startFeedpulseServer, type FeedpulseServer, type FeedpulseServerOptions } from './server';
export { startConsumer, type Consumer, type ConsumerOptions, type ProcessedBatch } from './consumer';
export { selectSource, type SourceChoice } from './sources/select';
export type { ConsumerSource, Delivery } from './sources/source';
export { loadRules, parseRules, type AlertRule } from './alerts/rules';
export { DEFAULT_RULES } from './alerts/default-rules';
export type { Alert } from './alerts/evaluate';
export type { DashboardView } from './dashboard/view';
export { openDatabase, type DatabaseChoice } from './db/open';
export type { Database, Queryable } from './db/database';
export { pruneExpired, startRetention, retentionDaysEnv, RETENTION_DEFAULTS, type RetentionOptions, type Retention } from './responses/retention';
export { eraseVisitor, type VisitorKey } from './responses/erase';
