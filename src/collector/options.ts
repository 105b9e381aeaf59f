// The collector's settings: its options, their environment variables, defaults and checks, as one
// table (src/server/settings.ts). docs/collector.md's table states the same rows; a test compares them.
import type { AllowedOrigins } from './cors.js';
import { checkKeyMap, parseKeysEnv, type KeyMap } from './keys.js';
import { booleanOption, boundEnv, onOffEnv, boundOption, checkOriginsOption, nonNegativeOption, parseOriginsEnv, positiveOption, routePathOption, wholeNumberEnv, wholeNumberOption } from './config-values.js';
import { resolveSetting, withValueAt, type Setting } from '../server/settings.js';
import { DEFAULT_DATA_DIR } from './data-dir.js';
import { checkRateLimitOption, parseRateLimitEnv, type RateLimitOptions } from './rate-limit.js';
import type { Logger } from '../server/logger.js';
import type { Sink } from './types.js';
import type { SinkOptions } from './sinks/index.js';

export interface CollectorOptions {
  /** A sink spec (`embedded`, `amqp://…`, `nats://…`) or a Sink. Env FEEDPULSE_BROKER; default embedded. */
  sink?: string | Sink;
  /** Data directory for the embedded log and the broker id index. Env FEEDPULSE_DATA; default `.feedpulse`. */
  dataDir?: string;
  /** Origins allowed to post (`*` or a list). Env FEEDPULSE_ORIGINS (comma-separated); default `*`. */
  allowedOrigins?: AllowedOrigins;
  /** Public write keys → the project(s) each may write. Env FEEDPULSE_KEYS=`key:project,…`; default none (open). */
  keys?: KeyMap;
  /** Most bytes in one request body. Env FEEDPULSE_BODY_LIMIT; default 1,048,576. */
  bodyLimit?: number;
  /** Most events in one batch. Env FEEDPULSE_BATCH_LIMIT; default 500. */
  batchLimit?: number;
  /** Token bucket per client IP + project, or false. Env FEEDPULSE_RATE_LIMIT=`perSecond[:burst]`|`off`; default 100/s, burst 200 (offices share one IP). */
  rateLimit?: RateLimitOptions | false;
  /** Take the client IP from X-Forwarded-For (behind a proxy you trust). Env FEEDPULSE_TRUST_PROXY=1; default false. */
  trustProxy?: boolean;
  /** 503 when the sink has not confirmed a batch within this many ms. Env FEEDPULSE_SINK_TIMEOUT_MS; default 5,000. */
  sinkTimeoutMs?: number;
  /** 408 when a body has not arrived within this many ms; default 10,000. */
  bodyTimeoutMs?: number;
  /** Oldest event `ts` accepted (ms before now); default 30 days (SDK outboxes survive offline periods). */
  maxEventAgeMs?: number;
  /** Clock skew below this is ignored (ms); default 2,000. */
  skewToleranceMs?: number;
  /** Path of the ingest route; default `/v1/events` (`/healthz` and `/metrics` beside it). */
  path?: string;
  /** Request log: false, or a function taking each entry. Env FEEDPULSE_LOG=off; default JSON lines on stdout. */
  log?: boolean | Logger;
  /** Sink tuning (segment size, retention, fsync, amqp queue, nats stream). */
  sinkOptions?: Omit<SinkOptions, 'dataDir' | 'log'>;
  /** More Prometheus text for /metrics, appended as it is (the demo server adds the consumer's counters). */
  extraMetrics?: () => string;
}

export interface ResolvedOptions {
  sink: string | Sink | undefined;
  dataDir: string;
  allowedOrigins: AllowedOrigins;
  keys: KeyMap | undefined;
  bodyLimit: number;
  batchLimit: number;
  rateLimit: RateLimitOptions | false;
  trustProxy: boolean;
  sinkTimeoutMs: number;
  bodyTimeoutMs: number;
  maxEventAgeMs: number;
  skewToleranceMs: number;
  path: string;
  log: boolean | Logger;
  sinkOptions: Omit<SinkOptions, 'dataDir' | 'log'>;
  extraMetrics: (() => string) | undefined;
}

const blankIsUnset = (text: string | undefined): string | undefined => (text?.trim() ? text : undefined);
const row = <T>(setting: Setting<T>): Setting<T> => setting;

/** The collector's settings, in the order docs/collector.md lists them. */
/** Where /healthz, /metrics and the Kafka REST route sit: beside the ingest path (`/v1/events` → ``, `/fp/v1/events` → `/fp`). */
export const routeBase = (ingestPath: string): string => ingestPath.replace(/\/v1\/events$/, '');

export const COLLECTOR_SETTINGS = [
  row<string | Sink | undefined>({
    option: 'sink', env: 'FEEDPULSE_BROKER', shown: 'embedded', fallback: undefined,
    fromOption(sink) {
      if (sink !== undefined && typeof sink !== 'string' && !(sink && typeof sink === 'object' && typeof (sink as Sink).write === 'function')) {
        throw new Error(`sink: expected a sink spec (embedded, amqp://…, nats://…) or a Sink object, got ${String(sink)}`);
      }
      return sink as string | Sink | undefined;
    },
    fromEnv: (text) => text || undefined,
  }),
  row<string>({
    option: 'dataDir', env: 'FEEDPULSE_DATA', shown: `\`${DEFAULT_DATA_DIR}\``, fallback: DEFAULT_DATA_DIR,
    fromOption(dataDir) {
      if (dataDir !== undefined && typeof dataDir !== 'string') throw new Error(`dataDir: expected a folder path, got ${String(dataDir)}`);
      return dataDir || undefined; // '' counts as unset, as FEEDPULSE_DATA='' does
    },
    fromEnv: (text) => text || undefined,
  }),
  row<AllowedOrigins>({ option: 'allowedOrigins', env: 'FEEDPULSE_ORIGINS', shown: '`*`', fallback: '*', fromOption: (v) => checkOriginsOption(v as AllowedOrigins | undefined), fromEnv: parseOriginsEnv }),
  row<KeyMap | undefined>({
    option: 'keys', env: 'FEEDPULSE_KEYS', shown: 'none (open)', fallback: undefined,
    fromOption: (v) => (v !== undefined ? checkKeyMap(v as KeyMap) : undefined),
    fromEnv: parseKeysEnv,
  }),
  row<number>({ option: 'bodyLimit', env: 'FEEDPULSE_BODY_LIMIT', shown: '1,048,576 bytes', fallback: 1024 * 1024, fromOption: (v, n) => wholeNumberOption(n, v as number | undefined), fromEnv: (t, n) => wholeNumberEnv(n, t, 'bytes') }),
  row<number>({ option: 'batchLimit', env: 'FEEDPULSE_BATCH_LIMIT', shown: '500 events', fallback: 500, fromOption: (v, n) => wholeNumberOption(n, v as number | undefined), fromEnv: (t, n) => wholeNumberEnv(n, t, 'events') }),
  row<RateLimitOptions | false>({
    option: 'rateLimit', env: 'FEEDPULSE_RATE_LIMIT', shown: '100/s, burst 200', fallback: { perSecond: 100, burst: 200 },
    fromOption: (v) => checkRateLimitOption(v as RateLimitOptions | false | undefined), fromEnv: parseRateLimitEnv,
  }),
  row<boolean>({
    option: 'trustProxy', env: 'FEEDPULSE_TRUST_PROXY', shown: 'false', fallback: false,
    fromOption: (v, n) => booleanOption(n, v as boolean | undefined),
    fromEnv: (text, name) => onOffEnv(name, text),
  }),
  row<number>({ option: 'sinkTimeoutMs', env: 'FEEDPULSE_SINK_TIMEOUT_MS', shown: '5,000', fallback: 5000, fromOption: (v, n) => positiveOption(n, v as number | undefined), fromEnv: (t, n) => wholeNumberEnv(n, t, 'milliseconds') }),
  row<number>({ option: 'bodyTimeoutMs', shown: '10,000 (> 0)', fallback: 10_000, fromOption: (v, n) => positiveOption(n, v as number | undefined) }),
  row<number>({ option: 'maxEventAgeMs', shown: '30 days (> 0)', fallback: 30 * 24 * 3600 * 1000, fromOption: (v, n) => positiveOption(n, v as number | undefined) }),
  row<number>({ option: 'skewToleranceMs', shown: '2,000 (≥ 0)', fallback: 2000, fromOption: (v, n) => nonNegativeOption(n, v as number | undefined) }),
  row<string>({ option: 'path', shown: '`/v1/events`', fallback: '/v1/events', fromOption: (v, n) => routePathOption(n, v as string | undefined) }),
  row<boolean | Logger>({
    option: 'log', env: 'FEEDPULSE_LOG', shown: 'JSON lines on stdout', fallback: true,
    fromOption(log) {
      if (log !== undefined && typeof log !== 'boolean' && typeof log !== 'function') throw new Error(`log: expected true, false or a function, got ${JSON.stringify(log)}`);
      return log as boolean | Logger | undefined;
    },
    fromEnv: (text, name) => onOffEnv(name, text),
  }),
  row<Omit<SinkOptions, 'dataDir' | 'log'>>({
    option: 'sinkOptions', shown: '–', fallback: {},
    fromOption(sinkOptions) {
      if (sinkOptions !== undefined && (!sinkOptions || typeof sinkOptions !== 'object' || Array.isArray(sinkOptions))) throw new Error(`sinkOptions: expected an object, got ${JSON.stringify(sinkOptions)}`);
      return sinkOptions as Omit<SinkOptions, 'dataDir' | 'log'> | undefined;
    },
  }),
  row<(() => string) | undefined>({
    option: 'extraMetrics', shown: '–', fallback: undefined,
    fromOption(extraMetrics) {
      if (extraMetrics !== undefined && typeof extraMetrics !== 'function') throw new Error(`extraMetrics: expected a function returning Prometheus text, got ${JSON.stringify(extraMetrics)}`);
      return extraMetrics as (() => string) | undefined;
    },
  }),
] as const;

/** Settings inside `sinkOptions` that have a variable; unset, the sink's own default applies. */
export const SINK_SETTINGS: readonly Setting[] = [
  row<string | undefined>({ option: 'sinkOptions.amqp.queue', env: 'FEEDPULSE_AMQP_QUEUE', shown: '–', fallback: undefined, fromOption: (v) => v as string | undefined, fromEnv: blankIsUnset }),
  row<number | undefined>({ option: 'sinkOptions.amqp.queueBounds.maxLength', env: 'FEEDPULSE_AMQP_QUEUE_MAX_LENGTH', shown: '1,000,000 messages', fallback: undefined, fromOption: boundOption, fromEnv: (t, n) => boundEnv(n, t, 'messages') }),
  row<number | undefined>({ option: 'sinkOptions.amqp.queueBounds.messageTtlMs', env: 'FEEDPULSE_AMQP_MESSAGE_TTL_MS', shown: '7 days', fallback: undefined, fromOption: boundOption, fromEnv: (t, n) => boundEnv(n, t, 'milliseconds') }),
  row<number | undefined>({ option: 'sinkOptions.nats.maxAgeMs', env: 'FEEDPULSE_NATS_MAX_AGE_MS', shown: '7 days', fallback: undefined, fromOption: boundOption, fromEnv: (t, n) => boundEnv(n, t, 'milliseconds') }),
  row<number | undefined>({ option: 'sinkOptions.nats.maxBytes', env: 'FEEDPULSE_NATS_MAX_BYTES', shown: '10 GiB', fallback: undefined, fromOption: boundOption, fromEnv: (t, n) => boundEnv(n, t, 'bytes') }),
];

/** Throws on a malformed option or env value (named in the message): never a silent default. */
export function resolveOptions(options: CollectorOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  const resolved = Object.fromEntries(COLLECTOR_SETTINGS.map((setting) => [setting.option, resolveSetting<unknown>(setting, options, env)])) as unknown as ResolvedOptions;
  for (const setting of SINK_SETTINGS) {
    const value = resolveSetting(setting, options, env);
    if (value !== undefined) resolved.sinkOptions = withValueAt(resolved.sinkOptions, (setting.option ?? '').slice('sinkOptions.'.length), value);
  }
  return resolved;
}
