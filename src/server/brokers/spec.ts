// The brokers Feedpulse speaks to, named once: their URL schemes, their client package and their
// name for people. FEEDPULSE_BROKER (or the `sink` option) is read here one way for both the
// collector's sink and the dashboard's consumer source: they must agree, or `embedded` starts a
// collector whose consumer refuses it. Case-insensitive scheme, surrounding spaces ignored; an
// error never repeats the password of a mistyped URL.

export const BROKERS = {
  amqp: { schemes: ['amqp', 'amqps'], peer: 'amqplib', title: 'RabbitMQ' },
  nats: { schemes: ['nats'], peer: 'nats', title: 'NATS JetStream' },
  kafka: { schemes: ['kafka'], peer: 'kafkajs', title: 'Apache Kafka' },
} as const;

export type BrokerKind = keyof typeof BROKERS;
export const BROKER_KINDS = Object.keys(BROKERS) as BrokerKind[];
export type BrokerSpec = { kind: 'embedded' } | { kind: BrokerKind; url: string };

/** What a broker's client is needed by, in messages: `FEEDPULSE_BROKER=amqp://…`. */
export const neededBy = (kind: BrokerKind): string => `FEEDPULSE_BROKER=${BROKERS[kind].schemes[0]}://…`;

/** `amqp://user:secret@host` → `amqp://user:***@host`, for messages and logs. */
export const hideUrlPassword = (value: string): string => value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');

const kindOfScheme = new Map<string, BrokerKind>(BROKER_KINDS.flatMap((kind) => BROKERS[kind].schemes.map((scheme) => [scheme, kind] as const)));
const choices = ['embedded', ...BROKER_KINDS.flatMap((kind) => BROKERS[kind].schemes.map((scheme) => `${scheme}://…`))];

export function parseBrokerSpec(spec: string | undefined): BrokerSpec {
  const value = spec?.trim() ?? '';
  if (value === '' || value.toLowerCase() === 'embedded') return { kind: 'embedded' };
  const kind = kindOfScheme.get(/^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase() ?? '');
  if (kind) return { kind, url: checkedUrls(kind, value) };
  throw new Error(`FEEDPULSE_BROKER: unknown sink "${hideUrlPassword(value)}" (use ${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]})`);
}

/**
 * A URL that cannot be parsed (a space in the host, a stray character) can never connect: refused
 * here, as a bad setting, rather than retried in the background as if the broker were down. Kafka's
 * URL has its own parser (kafka.ts); NATS takes a comma-separated list, each entry with or without
 * its scheme.
 */
function checkedUrls(kind: BrokerKind, value: string): string {
  const entries = kind === 'nats' ? value.split(',').map((s) => s.trim()).filter(Boolean) : kind === 'amqp' ? [value] : [];
  const bad = entries.find((entry) => !URL.canParse(/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ? entry : `nats://${entry}`));
  if (bad !== undefined) throw new Error(`FEEDPULSE_BROKER: "${hideUrlPassword(bad)}" is not a valid URL (e.g. ${BROKERS[kind].schemes[0]}://${kind === 'amqp' ? 'user:pass@host:5672' : 'host:4222'})`);
  return value;
}
