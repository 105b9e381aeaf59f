// `kafka://[user:password@]host:9092[,host2:9092][?option=value&…]`, read one way for the collector's
// sink and the dashboard's source. Options:
//   topic=feedpulse.events   the topic events go to / are read from
//   partitions=3             partitions when the collector creates the topic (default 3)
//   replication=-1           replication factor when it creates the topic (-1: the broker's default)
//   clientId=feedpulse       the Kafka client id
//   tls=true                 connect with TLS (Node's default CAs)
//   sasl=plain|scram-sha-256|scram-sha-512   SASL mechanism; user and password from the URL
import type { Admin, KafkaConfig, SASLOptions } from 'kafkajs';

import { DEFAULT_KAFKA_TOPIC } from '../../wire/kafka.js';
import { importPeer } from '../peer.js';
import { neededBy } from './spec.js';
export { DEFAULT_KAFKA_TOPIC };

export interface KafkaSettings {
  brokers: string[];
  topic: string;
  partitions: number;
  replication: number;
  clientId: string;
  ssl: boolean;
  sasl?: SASLOptions;
  /** The URL without its password, for logs and descriptions. */
  display: string;
}

const SASL_MECHANISMS = new Set(['plain', 'scram-sha-256', 'scram-sha-512']);
const OPTIONS = new Set(['topic', 'partitions', 'replication', 'clientId', 'tls', 'sasl']);

function integer(name: string, value: string | null, fallback: number, min: number): number {
  if (value === null) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`FEEDPULSE_BROKER: kafka ${name} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}

export function parseKafkaUrl(url: string): KafkaSettings {
  const rest = url.trim().replace(/^kafka:\/\//i, '');
  const queryAt = rest.indexOf('?');
  const authority = (queryAt === -1 ? rest : rest.slice(0, queryAt)).replace(/\/+$/, '');
  const query = new URLSearchParams(queryAt === -1 ? '' : rest.slice(queryAt + 1));
  for (const key of query.keys()) {
    if (!OPTIONS.has(key)) throw new Error(`FEEDPULSE_BROKER: unknown kafka option "${key}" (use ${[...OPTIONS].join(', ')})`);
  }
  const at = authority.lastIndexOf('@');
  const userinfo = at === -1 ? '' : authority.slice(0, at);
  const hosts = at === -1 ? authority : authority.slice(at + 1);
  const brokers = hosts.split(',').map((h) => h.trim()).filter(Boolean);
  if (!brokers.length) throw new Error('FEEDPULSE_BROKER: kafka:// needs at least one host:port');
  for (const broker of brokers) {
    if (!/^[A-Za-z0-9._-]+:\d{1,5}$|^\[[0-9A-Fa-f:.]+\]:\d{1,5}$/.test(broker)) {
      throw new Error(`FEEDPULSE_BROKER: kafka broker "${broker}" is not host:port`);
    }
  }
  const topic = query.get('topic') ?? DEFAULT_KAFKA_TOPIC;
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic)) throw new Error(`FEEDPULSE_BROKER: kafka topic "${topic}" is not a valid topic name`);
  const mechanism = query.get('sasl')?.toLowerCase();
  let sasl: SASLOptions | undefined;
  if (mechanism !== undefined) {
    if (!SASL_MECHANISMS.has(mechanism)) throw new Error(`FEEDPULSE_BROKER: kafka sasl must be one of ${[...SASL_MECHANISMS].join(', ')}`);
    const colon = userinfo.indexOf(':');
    if (colon === -1) throw new Error('FEEDPULSE_BROKER: kafka sasl needs user:password@ in the URL');
    const username = decodeURIComponent(userinfo.slice(0, colon));
    const password = decodeURIComponent(userinfo.slice(colon + 1));
    sasl = { mechanism: mechanism as 'plain', username, password };
  }
  const tls = query.get('tls');
  return {
    brokers,
    topic,
    partitions: integer('partitions', query.get('partitions'), 3, 1),
    replication: integer('replication', query.get('replication'), -1, -1),
    clientId: query.get('clientId') ?? 'feedpulse',
    ssl: tls === 'true' || tls === '1',
    sasl,
    display: `kafka://${userinfo ? `${userinfo.split(':')[0]}:***@` : ''}${brokers.join(',')}/${topic}`,
  };
}

/** The kafkajs client settings shared by the sink and the source. */
export function kafkaClientConfig(settings: KafkaSettings, clientId: string, logCreator: KafkaConfig['logCreator']): KafkaConfig {
  return {
    brokers: settings.brokers,
    clientId,
    ssl: settings.ssl,
    sasl: settings.sasl,
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    logCreator,
    // Broker down: fail the request within about a second so the collector answers 503 quickly
    // and reconnects in its own loop (the default retries for up to 30 s).
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
  };
}

/**
 * Creates the configured topic when it is missing, the same way whichever side starts first (the
 * dashboard starts before its collector). Answers false when it existed already.
 */
export async function ensureKafkaTopic(admin: Admin, settings: KafkaSettings): Promise<boolean> {
  // Looked up first: kafkajs logs a create of an existing topic as an error.
  if ((await admin.listTopics()).includes(settings.topic)) return false;
  return admin.createTopics({
    topics: [{ topic: settings.topic, numPartitions: settings.partitions, replicationFactor: settings.replication }],
    waitForLeaders: true,
    timeout: 10_000,
  });
}

/** Loads kafkajs on first use (an optional peer dependency). */
export const loadKafka = () => importPeer('kafkajs', neededBy('kafka'), () => import('kafkajs'));
