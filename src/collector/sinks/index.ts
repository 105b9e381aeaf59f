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

export interface SinkOptions {
  /** FEEDPULSE_DATA: the embedded log and the broker sinks' id index (default `.feedpulse`). */
  dataDir?: string;
  embedded?: Omit<EmbeddedSinkOptions, 'dataDir'>;
  amqp?: Omit<AmqpSinkOptions, 'url' | 'dataDir' | 'log'>;
  nats?: Omit<NatsSinkOptions, 'url' | 'dataDir' | 'log'>;
  kafka?: Omit<KafkaSinkOptions, 'url' | 'dataDir' | 'log'>;
  log?: Logger;
}

export function createSink(spec: string | undefined = process.env.FEEDPULSE_BROKER, options: SinkOptions = {}): Sink {
  const dataDir = options.dataDir || process.env.FEEDPULSE_DATA || '.feedpulse';
  const broker = parseBrokerSpec(spec);
  if (broker.kind === 'embedded') return createEmbeddedSink({ ...options.embedded, dataDir });
  if (broker.kind === 'amqp') {
    const queue = options.amqp?.queue ?? (process.env.FEEDPULSE_AMQP_QUEUE || undefined);
    return createAmqpSink({ ...options.amqp, queue, url: broker.url, dataDir, log: options.log });
  }
  if (broker.kind === 'kafka') return createKafkaSink({ ...options.kafka, url: broker.url, dataDir, log: options.log });
  return createNatsSink({ ...options.nats, url: broker.url, dataDir, log: options.log });
}
