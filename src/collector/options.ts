// Collector options and their environment variables (an option given in code wins over the env).
import type { AllowedOrigins } from './cors.js';
import { checkKeyMap, parseKeysEnv, type KeyMap } from './keys.js';
import { booleanOption, checkOriginsOption, nonNegativeOption, parseOriginsEnv, positiveOption, routePathOption, wholeNumberEnv, wholeNumberOption } from './config-values.js';
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

/** Throws on a malformed option or env value (named in the message): never a silent default. */
export function resolveOptions(options: CollectorOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  checkShapes(options);
  return {
    sink: options.sink ?? (env.FEEDPULSE_BROKER || undefined),
    dataDir: options.dataDir || env.FEEDPULSE_DATA || '.feedpulse', // '' counts as unset, as FEEDPULSE_DATA='' does
    allowedOrigins: checkOriginsOption(options.allowedOrigins) ?? parseOriginsEnv(env.FEEDPULSE_ORIGINS) ?? '*',
    keys: options.keys !== undefined ? checkKeyMap(options.keys) : parseKeysEnv(env.FEEDPULSE_KEYS),
    bodyLimit: wholeNumberOption('bodyLimit', options.bodyLimit) ?? wholeNumberEnv('FEEDPULSE_BODY_LIMIT', env.FEEDPULSE_BODY_LIMIT, 'bytes') ?? 1024 * 1024,
    batchLimit: wholeNumberOption('batchLimit', options.batchLimit) ?? wholeNumberEnv('FEEDPULSE_BATCH_LIMIT', env.FEEDPULSE_BATCH_LIMIT, 'events') ?? 500,
    rateLimit: checkRateLimitOption(options.rateLimit) ?? parseRateLimitEnv(env.FEEDPULSE_RATE_LIMIT) ?? { perSecond: 100, burst: 200 },
    trustProxy: booleanOption('trustProxy', options.trustProxy) ?? /^(1|true|yes)$/i.test(env.FEEDPULSE_TRUST_PROXY ?? ''),
    sinkTimeoutMs: positiveOption('sinkTimeoutMs', options.sinkTimeoutMs) ?? wholeNumberEnv('FEEDPULSE_SINK_TIMEOUT_MS', env.FEEDPULSE_SINK_TIMEOUT_MS, 'milliseconds') ?? 5000,
    bodyTimeoutMs: positiveOption('bodyTimeoutMs', options.bodyTimeoutMs) ?? 10_000,
    maxEventAgeMs: positiveOption('maxEventAgeMs', options.maxEventAgeMs) ?? 30 * 24 * 3600 * 1000,
    skewToleranceMs: nonNegativeOption('skewToleranceMs', options.skewToleranceMs) ?? 2000,
    path: routePathOption('path', options.path) ?? '/v1/events',
    log: options.log ?? !/^(off|0|false)$/i.test(env.FEEDPULSE_LOG ?? ''),
    sinkOptions: options.sinkOptions ?? {},
    extraMetrics: options.extraMetrics,
  };
}

/** The options that are not numbers: a wrong type is named rather than failing later, elsewhere. */
function checkShapes(options: CollectorOptions): void {
  const { sink, dataDir, log, sinkOptions } = options;
  if (sink !== undefined && typeof sink !== 'string' && !(sink && typeof sink === 'object' && typeof sink.write === 'function')) {
    throw new Error(`sink: expected a sink spec (embedded, amqp://…, nats://…) or a Sink object, got ${String(sink)}`);
  }
  if (dataDir !== undefined && typeof dataDir !== 'string') throw new Error(`dataDir: expected a folder path, got ${String(dataDir)}`);
  if (log !== undefined && typeof log !== 'boolean' && typeof log !== 'function') throw new Error(`log: expected true, false or a function, got ${JSON.stringify(log)}`);
  if (options.extraMetrics !== undefined && typeof options.extraMetrics !== 'function') throw new Error(`extraMetrics: expected a function returning Prometheus text, got ${JSON.stringify(options.extraMetrics)}`);
  if (sinkOptions !== undefined && (!sinkOptions || typeof sinkOptions !== 'object' || Array.isArray(sinkOptions))) throw new Error(`sinkOptions: expected an object, got ${JSON.stringify(sinkOptions)}`);
}
