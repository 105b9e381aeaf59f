// POST /v1/events: the answers of docs/contract.md ("Answers"), in the order the checks are
// cheapest.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CollectorAnswer } from '../core/types.js';
import { readBody, parseJsonBody } from '../server/body.js';
import { contentCoding, decodeBody } from './encoding.js';
import { checkBatch, checkEvent, checkKafkaRecords } from './validate.js';
import { countryOf, uaFamily } from './enrich.js';
import { originAllowed, refuseOrigin, setCorsHeaders } from './cors.js';
import { isSinkUnavailable, UnknownTopicError } from './errors.js';
import { sendError, sendJson } from './respond.js';
import type { ResolvedOptions } from './options.js';
import type { KeyCheck } from './keys.js';
import { addressGroup } from './address-group.js';
import type { RateLimiter } from './rate-limit.js';
import type { Metrics } from './metrics.js';
import type { Logger } from '../server/logger.js';
import type { StoreOutcome } from './dedupe.js';
import type { SinkTarget, StoredEvent } from './types.js';

export interface IngestDeps {
  options: ResolvedOptions;
  checkKey: (req: IncomingMessage, url: URL) => KeyCheck;
  rateLimit: RateLimiter['take'];
  store: (events: StoredEvent[], target?: SinkTarget) => Promise<StoreOutcome>;
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
    // A refused origin or key is most often a setting to fix (FEEDPULSE_ORIGINS, FEEDPULSE_KEYS): warn.
    level: outcome.status >= 500 || outcome.status === 401 || outcome.status === 403 ? 'warn' : 'info',
    msg: 'ingest',
    method: req.method,
    path: url.pathname,
    ip,
    origin: clipHeader(req.headers.origin),
    ...outcome,
    ms: Math.round((performance.now() - started) * 100) / 100,
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, url: URL, ip: string, deps: IngestDeps, format: BodyFormat): Promise<Outcome> {
  const { options, metrics } = deps;
  // Who the rate limits charge: an IPv6 client by its /64 (address-group.ts), which it may pick any address in.
  const client = addressGroup(ip);
  const refuse = (status: number, error: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Outcome => {
    metrics.refused(error);
    sendError(res, status, error, extra, headers);
    return { status, error };
  };
  // A refused request whose body was not (fully) read: answer now with `Connection: close` (the
  // rest of the body is unknown, so the connection cannot carry another request, and a trickling
  // client must not keep it), then discard what the client still sends (never buffered) so it can
  // read the answer, until Node closes the socket once the answer is out; past a cap it is cut.
  const refuseUnread = (status: number, error: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Outcome => {
    const outcome = refuse(status, error, extra, { ...headers, connection: 'close' });
    discardRest(req, Math.max(DISCARD_CAP, options.bodyLimit * 4));
    return outcome;
  };

  setCorsHeaders(req, res, options.allowedOrigins);
  if (!originAllowed(req, options.allowedOrigins)) {
    metrics.refused('origin_not_allowed');
    refuseOrigin(req, res, { connection: 'close' });
    discardRest(req, Math.max(DISCARD_CAP, options.bodyLimit * 4));
    return { status: 403, error: 'origin_not_allowed' };
  }

  const key = deps.checkKey(req, url);
  if (!key.ok) return refuseUnread(401, 'unknown_key');

  // Charged before the body is read, to who sends it: the IP, and the write key when keys are
  // configured (a key from the table, never request text). Nothing in the body can change this key.
  const sender = deps.rateLimit(senderBucket(client, key.key));
  if (!sender.ok) return refuseUnread(429, 'rate_limited', {}, { 'retry-after': String(sender.retryAfterSeconds) });

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
      return;
    }
    const event = check.event as StoredEvent;
    event.receivedAt = receivedAt;
    if (ua) event.ua = ua;
    if (country) event.country = country;
    if (check.clientTs) event.clientTs = check.clientTs;
    stored.push(event);
  });

  // Each project the batch writes to is charged too (IP + project), so several keys of one project,
  // or events of many projects behind one first event, draw on the same buckets.
  const projects = [...new Set(stored.map((event) => event.project))];
  const project = projects[0];
  const perProject = deps.rateLimit(projects.map((name) => projectBucket(client, name)));
  if (!perProject.ok) return { ...refuse(429, 'rate_limited', {}, { 'retry-after': String(perProject.retryAfterSeconds) }), project };
  // Counted once the request is not refused as a whole (a 429 is retried, the events counted then).
  for (const { reason } of rejected) metrics.rejected(reason);

  if (rawEvents.length > 0 && stored.length === 0) {
    // Nothing in the batch is storable: the batch is invalid (the SDK drops it, no endless retry).
    metrics.refused('no_valid_events');
    sendError(res, 400, 'no_valid_events', { accepted: 0, duplicates: 0, rejected });
    return { status: 400, error: 'no_valid_events', rejected: rejected.length, events: rawEvents.length, project };
  }

  let result: StoreOutcome;
  const storing = performance.now();
  try {
    result = await deps.store(stored, format === 'kafka-rest' ? { topic: topicOf(url) } : undefined);
  } catch (err) {
    // Kafka REST's own answer for a topic that does not exist (error_code 40403): not retried.
    if (err instanceof UnknownTopicError) return refuse(404, 'unknown_topic', { error_code: 40403, topic: err.topic });
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

/** The topic of a Kafka REST route (`…/topics/<topic>`; the route's pattern already checked the name). */
const topicOf = (url: URL): string => url.pathname.slice(url.pathname.lastIndexOf('/') + 1);

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

/** A request header as logged: at most 200 characters (headers may be up to 16 KB). */
export const clipHeader = (value: string | undefined): string | undefined => value?.slice(0, 200);

// NUL cannot occur in an address group, a header value or a project name, so the parts cannot run together.
const senderBucket = (client: string, key: string | undefined) => (key === undefined ? `ip\0${client}` : `key\0${client}\0${key}`);
const projectBucket = (client: string, project: string) => `project\0${client}\0${project}`;

/**
 * The client's address. Behind a trusted proxy it is the last X-Forwarded-For entry, the one that
 * proxy added: entries before it are whatever the client sent, so the first one would let each
 * request name a new client (and a new rate-limit bucket).
 */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const header = Array.isArray(forwarded) ? forwarded[forwarded.length - 1] : forwarded;
    const last = header?.split(',').pop()?.trim();
    // An address is at most 45 characters (IPv6 with an IPv4 tail); a longer entry is cut, not trusted to be small.
    if (last) return last.slice(0, 64);
  }
  return req.socket.remoteAddress ?? 'unknown';
}
