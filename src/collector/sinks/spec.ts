// What FEEDPULSE_BROKER (or the `sink` option) names, read one way for both the collector's sink
// and the dashboard's consumer source: they must agree, or `embedded` starts a collector whose
// consumer refuses it. Case-insensitive scheme, surrounding spaces ignored; an error never repeats
// the password of a mistyped URL.
export type BrokerSpec = { kind: 'embedded' } | { kind: 'amqp' | 'nats' | 'kafka'; url: string };

/** `amqp://user:secret@host` → `amqp://user:***@host`, for messages and logs. */
export const hideUrlPassword = (value: string): string => value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');

export function parseBrokerSpec(spec: string | undefined): BrokerSpec {
  const value = spec?.trim() ?? '';
  if (value === '' || value.toLowerCase() === 'embedded') return { kind: 'embedded' };
  if (/^amqps?:\/\//i.test(value)) return { kind: 'amqp', url: value };
  if (/^nats:\/\//i.test(value)) return { kind: 'nats', url: value };
  if (/^kafka:\/\//i.test(value)) return { kind: 'kafka', url: value };
  throw new Error(`FEEDPULSE_BROKER: unknown sink "${hideUrlPassword(value)}" (use embedded, amqp://…, amqps://…, nats://… or kafka://…)`);
}
