// The consumer source follows the sink: FEEDPULSE_BROKER unset → the embedded log in FEEDPULSE_DATA;
// amqp://… → RabbitMQ; nats://… → NATS JetStream; kafka://… → an Apache Kafka consumer group.
import { parseBrokerSpec } from '../../collector/sinks/spec';
import { amqpSource, type AmqpSourceOptions } from './amqp';
import { embeddedSource } from './embedded';
import { natsSource, type NatsSourceOptions } from './nats';
import { kafkaSource, type KafkaSourceOptions } from './kafka';
import type { ConsumerSource } from './source';
import type { Logger } from '../../server/logger';

export interface SourceChoice {
  broker?: string;
  dataDir: string;
  amqp?: Omit<AmqpSourceOptions, 'url'>;
  nats?: Omit<NatsSourceOptions, 'url'>;
  kafka?: Omit<KafkaSourceOptions, 'url'>;
  /** Where the source reports state changes and failures (default: JSON lines on stdout). */
  log?: Logger;
}

export function selectSource({ broker, dataDir, amqp, nats, kafka, log }: SourceChoice): ConsumerSource {
  // Read exactly as the collector reads it (`embedded`, spaces, scheme case).
  const spec = parseBrokerSpec(broker);
  if (spec.kind === 'embedded') return embeddedSource({ dataDir, log });
  if (spec.kind === 'amqp') return amqpSource({ url: spec.url, log, ...amqp });
  if (spec.kind === 'kafka') return kafkaSource({ url: spec.url, log, ...kafka });
  return natsSource({ url: spec.url, log, ...nats });
}
