// Choosing a sink: `FEEDPULSE_BROKER` (or the `sink` option) — unset or `embedded` for the durable
// log on disk, `amqp://…` / `amqps://…` for RabbitMQ, `nats://…` for NATS JetStream, `kafka://…`
// for Apache Kafka.
import { createEmbeddedSink, type EmbeddedSinkOptions } from './embedded-log.js';
import { createAmqpSink, type AmqpSinkOptions } from './amqp.js';
import { createNatsSink, type NatsSinkOptions } from './nats.js';
import { createKafkaSink, type KafkaSinkOptions } from './kafka.js';
import type { Sink } from '../types.js';
import type { Logger } from '../../server/logger.js';
import { parseBrokerSpec } from '../../server/brokers/spec.js';
import { DEFAULT_DATA_DIR } from '../data-dir.js';

export interface SinkOptions {
  /** FEEDPULSE_DATA: the embedded log and the broker sinks' id index (default `.feedpulse`). */
  dataDir?: string;
  embedded?: Omit<EmbeddedSinkOptions, 'dataDir'>;
  amqp?: Omit<AmqpSinkOptions, 'url' | 'dataDir' | 'log'>;
  nats?: Omit<NatsSinkOptions, 'url' | 'dataDir' | 'log'>;
  kafka?: Omit<KafkaSinkOptions, 'url' | 'dataDir' | 'log'>;
  log?: Logger;
}

/**
 * The sink `spec` names (undefined: the embedded log). Takes its settings as given: the collector
 * resolves FEEDPULSE_BROKER, FEEDPULSE_DATA and the sink variables first (src/collector/options.ts).
 */
export function createSink(spec: string | undefined, options: SinkOptions = {}): Sink {
  const dataDir = options.dataDir || DEFAULT_DATA_DIR;
  const broker = parseBrokerSpec(spec);
  if (broker.kind === 'embedded') return createEmbeddedSink({ ...options.embedded, dataDir });
  if (broker.kind === 'amqp') return createAmqpSink({ ...options.amqp, url: broker.url, dataDir, log: options.log });
  if (broker.kind === 'kafka') return createKafkaSink({ ...options.kafka, url: broker.url, dataDir, log: options.log });
  return createNatsSink({ ...options.nats, url: broker.url, dataDir, log: options.log });
}
