// POST /v1/events: the answers of docs/contract.md ("Answers"), in the order the checks are
// cheapest.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CollectorAnswer } from '../core/types.js';
import { readBody, parseJsonBody } from './body.js';
import { contentCoding, decodeBody } from './encoding.js';
import { checkBatch, checkEvent, checkKafkaRecords } from './validate.js';
import { countryOf, uaFamily } from './enrich.js';
import { originAllowed, setCorsHeaders } from './cors.js';
import { isSinkUnavailable } from './errors.js';
import { sendError, sendJson } from './respond.js';
import type { ResolvedOptions } from './options.js';
import type { KeyCheck } from './keys.js';
import type { RateDecision } from './rate-limit.js';
import type { Metrics } from './metrics.js';
import type { Logger } from './log.js';
import type { StoreOutcome } from './dedupe.js';
import type { StoredEvent } from './types.js';

export interface IngestDeps {
  options: ResolvedOptions;
  checkKey: (req: IncomingMessage, url: URL) => KeyCheck;
  rateLimit: (key: string) => RateDecision;
  store: (events: StoredEvent[]) => Promise<StoreOutcome>;
  ready: Promise<void>;
  metrics: Metrics;
  log: Logger;
}

/** JSON, beacons' text/plain, and `+json` types such as application/vnd.kafka.json.v2+json. */
const BODY_TYPES = /^(application\/json|text\/plain|application\/[\w.+-]*\+json)\s*(;|$)/i;

/** Outcome of one request, for the log line. */
interface Outcome {
  status: number;
  error?: string;
  accepted?: number;
  duplicates?: number;
  rejected?: number;
  events?: number;
  project?: string;
}

/**
 * `json`: the Feedpulse batch (docs/contract.md, "Batch"). `kafka-rest`: the Kafka REST Proxy v2 produce body
 * (`{ records: [{ key, value: Event }] }`), answered with `offsets`, so the SDK's kafka-rest
 * transport can post to the collector too.
 */
export type BodyFormat = 'json' | 'kafka-rest';

export async function ingest(req: IncomingMessage, res: ServerResponse, url: URL, deps: IngestDeps, format: BodyFormat = 'json'): Promise<void> {
  const started = performance.now();
  const ip = clientIp(req, deps.options.trustProxy);
  let outcome: Outcome;
  try {
    outcome = await handle(req, res, url, ip, deps, format);
  } catch (err) {
    // Never reached by design; if it is, the client retries and the process stays up.
    outcome = { status: 500, error: 'internal_error' };
    deps.log({ level: 'error', msg: 'ingest_failed', error: (err as Error).stack ?? String(err) });
    sendError(res, 500, 'internal_error', {}, { 'retry-after': '5' });
  }
  deps.metrics.request(outcome.status);
  deps.log({
    level: outcome.status >= 500 ? 'warn' : 'info',
    msg: 'ingest',
    method: req.method,
    path: url.pathname,
    ip,
    origin: req.headers.origin,
    ...outcome,
    ms: Math.round((performance.now() - started) * 100) / 100,
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, url: URL, ip: string, deps: IngestDeps, format: BodyFormat): Promise<Outcome> {
  const { options, metrics } = deps;
  const refuse = (status: number, error: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Outcome => {
    metrics.refused(error);
    sendError(res, status, error, extra, headers);
    return { status, error };
  };
  // A refused request whose body was not (fully) read: answer now with `Connection: close` (the
  // rest of the body is unknown, so the connection cannot carry another request, and a trickling
  // client must not keep it), then discard what the client still sends (never buffered) so it can
  // read the answer, until Node closes the socket once the answer is out; past a cap it is cut.
  const refuseUnread = (status: number, error: string, extra: Record<string, unknown> = {}): Outcome => {
    const outcome = refuse(status, error, extra, { connection: 'close' });
    discardRest(req, Math.max(DISCARD_CAP, options.bodyLimit * 4));
    return outcome;
  };

  setCorsHeaders(req, res, options.allowedOrigins);
  if (!originAllowed(req, options.allowedOrigins)) return refuseUnread(403, 'origin_not_allowed');

  const key = deps.checkKey(req, url);
  if (!key.ok) return refuseUnread(401, 'unknown_key');

  const contentType = req.headers['content-type'];
  if (contentType && !BODY_TYPES.test(contentType)) return refuseUnread(415, 'unsupported_content_type');

  const coding = contentCoding(req.headers['content-encoding']);
  if (!coding) return refuseUnread(415, 'unsupported_content_encoding');

  const body = await readBody(req, options.bodyLimit, options.bodyTimeoutMs);
  // A 413 says which limit the body went over (after decoding too).
  const overLimit = (status: number) => (status === 413 ? { limit: options.bodyLimit } : {});
  if (!body.ok) return refuseUnread(body.status, body.error, overLimit(body.status));
  // A body a framework parsed first (express.json() inflates) is decoded already.
  const decoded = body.from === 'parsed' ? body : await decodeBody(body.bytes, coding, options.bodyLimit);
  if (!decoded.ok) return refuse(decoded.status, decoded.error, overLimit(decoded.status));

  const parsed = parseJsonBody(decoded.bytes);
  if (!parsed.ok) return refuse(400, parsed.error, parsed.detail ? { detail: parsed.detail } : {});
  const batch = format === 'kafka-rest' ? checkKafkaRecords(parsed.value) : checkBatch(parsed.value);
  if (!batch.ok) return refuse(400, batch.error);
  const { events: rawEvents, sentAt } = batch.batch;
  if (rawEvents.length > options.batchLimit) return refuse(413, 'too_many_events', { limit: options.batchLimit });

  const project = projectOf(rawEvents[0], key.projects);
  const rate = deps.rateLimit(`${ip}|${project}`);
  if (!rate.ok) return refuse(429, 'rate_limited', {}, { 'retry-after': String(rate.retryAfterSeconds) });

  try {
    await deps.ready;
  } catch {
    // The reason (a file-system error with the data folder's path, a broker address) is for the
    // operator: it is in the log as sink_open_failed, not in an answer any client can read.
    return refuse(503, 'sink_unavailable', { message: 'the event store could not be opened (the collector\'s log says why: sink_open_failed); nothing was stored' }, { 'retry-after': '10' });
  }

  const now = Date.now();
  const rawSkew = sentAt === undefined ? 0 : now - sentAt;
  const skewMs = Math.abs(rawSkew) < options.skewToleranceMs ? 0 : rawSkew;
  const receivedAt = new Date(now).toISOString();
  const ua = uaFamily(req.headers['user-agent']);
  const country = countryOf(req.headers);
  const ctx = { now, skewMs, maxAgeMs: options.maxEventAgeMs, projects: key.projects };

  const stored: StoredEvent[] = [];
  const rejected: CollectorAnswer['rejected'] = [];
  const rejectedAt = new Map<number, string>();
  rawEvents.forEach((raw, index) => {
    const check = checkEvent(raw, index, ctx);
    if (!check.ok) {
      rejected.push({ id: check.id, reason: check.reason });
      rejectedAt.set(index, check.reason);
      metrics.rejected(check.reason);
      return;
    }
    const event = check.event as StoredEvent;
    event.receivedAt = receivedAt;
    if (ua) event.ua = ua;
    if (country) event.country = country;
    if (check.clientTs) event.clientTs = check.clientTs;
    stored.push(event);
  });

  if (rawEvents.length > 0 && stored.length === 0) {
    // Nothing in the batch is storable: the batch is invalid (the SDK drops it, no endless retry).
    metrics.refused('no_valid_events');
    sendError(res, 400, 'no_valid_events', { accepted: 0, duplicates: 0, rejected });
    return { status: 400, error: 'no_valid_events', rejected: rejected.length, events: rawEvents.length, project };
  }

  let result: StoreOutcome;
  const storing = performance.now();
  try {
    result = await deps.store(stored);
  } catch (err) {
    // Whatever went wrong, these events are not stored: 503, and the client retries.
    const retryAfter = isSinkUnavailable(err) ? err.retryAfterSeconds : 5;
    if (!isSinkUnavailable(err)) deps.log({ level: 'error', msg: 'sink_write_failed', error: (err as Error).stack ?? String(err) });
    else if (err.cause) deps.log({ level: 'warn', msg: 'sink_write_failed', error: err.message, cause: String((err.cause as Error).message ?? err.cause) });
    metrics.sinkLatency((performance.now() - storing) / 1000, false);
    metrics.rejected('sink_unavailable', stored.length);
    metrics.refused('sink_unavailable');
    sendError(res, 503, 'sink_unavailable', { message: (err as Error).message }, { 'retry-after': String(retryAfter) });
    return { status: 503, error: 'sink_unavailable', events: rawEvents.length, project };
  }
  if (result.sinkSeconds !== undefined) metrics.sinkLatency(result.sinkSeconds, true);
  metrics.accepted(result.accepted);
  metrics.duplicates(result.duplicates);
  const answer: CollectorAnswer = { accepted: result.accepted, duplicates: result.duplicates, rejected };
  sendJson(res, 200, format === 'kafka-rest' ? kafkaAnswer(rawEvents.length, rejectedAt) : answer);
  return { status: 200, accepted: answer.accepted, duplicates: answer.duplicates, rejected: rejected.length, events: rawEvents.length, project };
}

/** Kafka REST v2 produce answer: one entry per record; 42201 (invalid record) is not retried by clients. */
function kafkaAnswer(count: number, rejectedAt: Map<number, string>) {
  const offsets = Array.from({ length: count }, (_, i) => {
    const reason = rejectedAt.get(i);
    return reason === undefined
      ? { partition: 0, offset: null, error_code: null, error: null }
      : { partition: null, offset: null, error_code: 42201, error: reason };
  });
  return { key_schema_id: null, value_schema_id: null, offsets };
}

const DISCARD_CAP = 16 * 1024 * 1024;

function discardRest(req: IncomingMessage, cap: number): void {
  if (req.readableEnded) return;
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > cap) req.socket.destroy();
  });
  req.resume();
}

function projectOf(first: unknown, keyProjects: ReadonlySet<string> | undefined): string {
  if (keyProjects?.size === 1) return [...keyProjects][0]!;
  const project = first && typeof first === 'object' ? (first as { project?: unknown }).project : undefined;
  return typeof project === 'string' ? project.slice(0, 64) : '';
}

function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}
