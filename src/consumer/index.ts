// Node entry for the consumer, the live dashboard and the demo server (README.md, "Two commands").
export { startFeedpulseServer, type FeedpulseServer, type FeedpulseServerOptions } from './server';
export { startConsumer, type Consumer, type ConsumerOptions, type ProcessedBatch } from './consumer';
export { selectSource, type SourceChoice } from './sources/select';
export { embeddedSource } from './sources/embedded';
export { amqpSource, type AmqpSourceOptions } from './sources/amqp';
export { natsSource, type NatsSourceOptions } from './sources/nats';
export type { ConsumerSource, Delivery } from './sources/source';
export { createAnalysis, applyEvent, type AnalysisState } from './analysis/state';
export { loadRules, parseRules, type AlertRule } from './alerts/rules';
export { DEFAULT_RULES } from './alerts/default-rules';
export type { Alert } from './alerts/evaluate';
export { simulateTraffic, type TrafficOptions } from './simulate/traffic';
export { sendEvents, type SendOptions, type SendResult } from './simulate/send';
export { runSimulation, type SimulationOptions } from './simulate/run';
export type { DashboardView } from './dashboard/view';
