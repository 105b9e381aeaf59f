// Fills ClientConfig defaults and checks every value (docs/sdk.md, "Configuration"): one warning per
// bad setting naming the default used; a missing or bad endpoint or project disables the SDK (null).
// Never throws. Script-tag attributes arrive as strings, so numbers and booleans may be given as
// text ("20", "false"); every string is trimmed first.
import type { ClientConfig, FeedpulseEvent, TransportName } from './types';
import { PROJECT_NAME } from '../wire/project';
import { DEFAULT_KAFKA_TOPIC } from '../wire/kafka';

export interface ResolvedConfig {
  endpoint: string;
  project: string;
  transport: TransportName;
  topic: string;
  headers: Record<string, string>;
  batchSize: number;
  batchBytes: number;
  flushInterval: number;
  maxQueueEvents: number;
  maxQueueBytes: number;
  /** Longest wait between retries, ms (default 30,000). */
  maxRetryDelay: number;
  autocapture: 'clicks' | 'off';
  pageviews: boolean;
  sampleRate: number;
  consent: 'granted' | 'pending';
  beforeSend?: (event: FeedpulseEvent) => FeedpulseEvent | null | undefined;
  scrubPII: boolean;
  debug: boolean;
}

/** One setting: how a given value reads (undefined: not valid); what is used when the value is
 *  missing, or (with a warning) not valid; whether, without a valid value, the SDK is disabled.
 *  File size: a tuple rather than an object saves 12 B brotli. */
type Setting<T> = [read: (value: unknown) => T | undefined, fallback?: T, required?: boolean];

const required = <T>([read]: Setting<T>): Setting<T> => [read, undefined, true];
/** A string that matches `pattern` as a whole. */
const text = (pattern: RegExp, fallback?: string): Setting<string> => [
  (value) => (typeof value === 'string' && pattern.test(value) ? value : undefined),
  fallback,
];
/** The first choice is the default. A choice's text reads as the choice too: "false" as false. */
const oneOf = <T extends string | boolean>(...choices: T[]): Setting<T> => [
  (value) => choices.find((choice) => value === choice || value === String(choice)),
  choices[0],
];
/** A number (or numeric string) from `min` to `max`. */
const number = (fallback: number, min: number, max = 1e15): Setting<number> => [
  (value) => {
    // Text with a digit reads as its number; anything else that is not a number fails.
    const n = typeof value === 'string' && /\d/.test(value) ? Number(value) : value;
    return typeof n === 'number' && n >= min && n <= max ? n : undefined; // NaN and ±Infinity fail
  },
  fallback,
];

const SETTINGS: { [Name in keyof ResolvedConfig]-?: Setting<ResolvedConfig[Name]> } = {
  // Absolute http(s), protocol- or root-relative (fetch resolves those against the page). The scheme
  // is checked on the parsed URL, which also refuses malformed hosts (by throwing).
  endpoint: required([
    (value) => (typeof value === 'string' && /^(\w+:)?\/.*$/.test(value) && /^https?:$/.test(new URL(value, 'http://x').protocol) ? value : undefined),
  ]),
  // What the collector accepts (PROJECT_NAME, the one rule both import): a name it refuses would
  // lose every event at the first send.
  project: required(text(PROJECT_NAME)),
  transport: oneOf('json', 'kafka-rest'),
  topic: text(/^[\w.-]{1,249}$/, DEFAULT_KAFKA_TOPIC),
  headers: [
    (value) => (!!value && typeof value === 'object' && Object.values(value).every((header) => typeof header === 'string') ? (value as Record<string, string>) : undefined),
    {},
  ],
  batchSize: number(50, 1),
  batchBytes: number(6e4, 1),
  flushInterval: number(1e3, 0),
  maxQueueEvents: number(5e3, 1),
  maxQueueBytes: number(5e6, 1),
  maxRetryDelay: number(3e4, 1),
  // true and false read as clicks and off.
  autocapture: [(value) => (value === true ? 'clicks' : value === false ? 'off' : (['clicks', 'off'] as const).find((choice) => choice === value)), 'clicks'],
  pageviews: oneOf(true, false),
  sampleRate: number(1, 0, 1),
  consent: oneOf('granted', 'pending'),
  beforeSend: [(value) => (typeof value === 'function' ? (value as ResolvedConfig['beforeSend']) : undefined)],
  scrubPII: oneOf(true, false),
  debug: oneOf(false, true),
};

export function resolveConfig(input: ClientConfig, warn: (msg: string) => void): ResolvedConfig | null {
  const resolved: Record<string, unknown> = {};
  let name = '';
  let value: unknown;
  // One message for every bad value: the setting, the value, then what happens.
  const say = (then: string) => {
    let shown;
    try { shown = JSON.stringify(value); } catch { /* cycles, BigInt */ }
    try {
      warn(`feedpulse: ${name} ${value === undefined ? 'is missing' : (shown ?? typeof value) + ' is not valid'}; ${then}`);
    } catch { /* the caller's warn must not break init */ }
  };
  try {
    const given = Object(input) as Record<string, unknown>;
    for (name in SETTINGS) {
      const [read, fallback, isRequired] = SETTINGS[name as keyof ResolvedConfig] as Setting<unknown>;
      value = undefined; // a getter that throws reads as missing
      value = given[name];
      if (typeof value === 'string') value = value.trim();
      const valid = read(value);
      if (valid !== undefined) resolved[name] = valid;
      else if (isRequired) {
        say('the SDK is disabled');
        return null;
      } else {
        if (value !== undefined) say('using ' + JSON.stringify(fallback));
        resolved[name] = fallback;
      }
    }
    return resolved as unknown as ResolvedConfig;
  } catch {
    // A config whose reading throws (hostile getters), or an endpoint URL that does not parse.
    say('the SDK is disabled');
    return null;
  }
}
