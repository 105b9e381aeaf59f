// The consumer source follows the sink: FEEDPULSE_BROKER unset → the embedded log in FEEDPULSE_DATA;
// amqp://… → RabbitMQ; nats://… → NATS JetStream; kafka://… → an Apache Kafka consumer group.
import { parseBrokerSpec } from '../../server/brokers/spec';
import { amqpSource, type AmqpSourceOptions } from './amqp';
import { embeddedSource } from './embedded';
import { natsSource, type NatsSourceOptions } from './nats';
import { kafkaSource, type KafkaSourceOptions } from './kafka';
import type { ConsumerSource } from './source';
import type { Logger } from '../../server/logger';
import type { SinkOptions } from '../../collector/sinks/index';
import { defined } from '../../server/defined';

export interface SourceChoice {
  broker?: string;
  dataDir: string;
  amqp?: Omit<AmqpSourceOptions, 'url'>;
  nats?: Omit<NatsSourceOptions, 'url'>;
  kafka?: Omit<KafkaSourceOptions, 'url'>;
  /** Where the source reports state changes and failures (default: JSON lines on stdout). */
  log?: Logger;
  /**
   * The collector's sink options: the source declares the same exchange, stream (subjects,
   * duplicate window) and bounds, so whichever side starts first creates what the other expects.
   * Its own options (`amqp`, `nats`) win.
   */
  sink?: Pick<SinkOptions, 'amqp' | 'nats'>;
}

export function selectSource({ broker, dataDir, amqp, nats, kafka, log, sink = {} }: SourceChoice): ConsumerSource {
  // Read exactly as the collector reads it (`embedded`, spaces, scheme case).
  const spec = parseBrokerSpec(broker);
  if (spec.kind === 'embedded') return embeddedSource({ dataDir, log });
  if (spec.kind === 'amqp') {
    const { exchange, queueBounds } = sink.amqp ?? {};
    return amqpSource({ url: spec.url, log, ...defined({ exchange, queueBounds }), ...amqp });
  }
  if (spec.kind === 'kafka') return kafkaSource({ url: spec.url, log, ...kafka });
  const { stream, subjectPrefix, duplicateWindowMs, maxAgeMs, maxBytes } = sink.nats ?? {};
  return natsSource({ url: spec.url, log, ...defined({ stream, subjectPrefix, duplicateWindowMs, maxAgeMs, maxBytes }), ...nats });
}
