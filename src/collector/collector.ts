// createCollector(): the Node (req, res) handler with its routes, and a graceful close().
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveOptions, routeBase, type CollectorOptions } from './options.js';
import { createSink } from './sinks/index.js';
import { createDeduper } from './dedupe.js';
import { createKeyCheck } from './keys.js';
import { createRateLimiter } from './rate-limit.js';
import { createMetrics } from './metrics.js';
import { createLogger } from '../server/logger.js';
import { createInFlight } from './shutdown.js';
import { answerPreflight, originAllowed, setCorsHeaders } from './cors.js';
import { clientIp, clipHeader, ingest } from './ingest.js';
import { sendError, sendJson } from './respond.js';
import type { Sink } from './types.js';

const KAFKA_TOPIC = /^(\/v1\/events)?\/topics\/[A-Za-z0-9._-]{1,249}$/;

export interface Collector {
  (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void;
  /** Resolves when the sink has loaded its state (log index rebuilt, first broker attempt made). */
  readonly ready: Promise<void>;
  readonly sink: Sink;
  /** Stop accepting (503), let in-flight requests finish, flush and close the sink. */
  close(): Promise<void>;
}

export function createCollector(options: CollectorOptions = {}): Collector {
  const resolved = resolveOptions(options);
  const log = createLogger(resolved.log);
  const sink: Sink = typeof resolved.sink === 'object'
    ? resolved.sink
    : createSink(resolved.sink, { ...resolved.sinkOptions, dataDir: resolved.dataDir, log });
  const metrics = createMetrics();
  const inFlight = createInFlight();
  const limiter = createRateLimiter(resolved.rateLimit);
  const ready = sink.ready;
  ready.catch((err: Error) => log({ level: 'error', msg: 'sink_open_failed', sink: sink.kind, error: err.message }));
  const deps = {
    options: resolved,
    checkKey: createKeyCheck(resolved.keys),
    rateLimit: limiter.take,
    store: createDeduper(sink, resolved.sinkTimeoutMs),
    ready,
    metrics,
    log,
  };
  const base = routeBase(resolved.path);
  let closing: Promise<void> | undefined;

  /** A preflight, counted; a refused one is also logged (the browser shows the page only a CORS error). */
  const preflight = (req: IncomingMessage, res: ServerResponse, path: string) => {
    const allowed = answerPreflight(req, res, resolved.allowedOrigins);
    metrics.preflight(allowed);
    if (!allowed) log({ level: 'warn', msg: 'preflight_refused', error: 'origin_not_allowed', path, ip: clientIp(req, resolved.trustProxy), origin: clipHeader(req.headers.origin), status: 403 });
  };

  /** 503 while closing, on both ingest routes: CORS (so a browser sees the 503 and Retry-After), counted. */
  const refuseClosing = (req: IncomingMessage, res: ServerResponse) => {
    if (originAllowed(req, resolved.allowedOrigins)) setCorsHeaders(req, res, resolved.allowedOrigins);
    metrics.request(503);
    metrics.refused('shutting_down');
    sendError(res, 503, 'shutting_down', {}, { 'retry-after': '5', connection: 'close' });
  };

  const handler = ((req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://collector.invalid');
    } catch {
      // e.g. a malformed absolute-form target ("POST http://[ HTTP/1.1"): must not throw out of here.
      return sendError(res, 400, 'bad_request_target');
    }
    const path = url.pathname;
    if (path === resolved.path || path === `${resolved.path}/`) {
      if (req.method === 'OPTIONS') return preflight(req, res, path);
      if (req.method !== 'POST') return sendError(res, 405, 'method_not_allowed', {}, { allow: 'POST, OPTIONS' });
      if (closing) return refuseClosing(req, res);
      const leave = inFlight.enter();
      res.once('close', leave);
      void ingest(req, res, url, deps).finally(leave);
      return;
    }
    if (KAFKA_TOPIC.test(path.slice(base.length)) && path.startsWith(base)) {
      // The Kafka REST Proxy v2 produce route, for the SDK's kafka-rest transport. With the Kafka
      // sink the events go to that topic (which must exist); other sinks ignore the name.
      if (req.method === 'OPTIONS') return preflight(req, res, path);
      if (req.method !== 'POST') return sendError(res, 405, 'method_not_allowed', {}, { allow: 'POST, OPTIONS' });
      if (closing) return refuseClosing(req, res);
      const leave = inFlight.enter();
      res.once('close', leave);
      void ingest(req, res, url, deps, 'kafka-rest').finally(leave);
      return;
    }
    if (path === `${base}/healthz` && (req.method === 'GET' || req.method === 'HEAD')) {
      const up = sink.isUp() && !closing;
      return sendJson(res, up ? 200 : 503, { status: up ? 'ok' : closing ? 'closing' : 'sink_down', sink: sink.kind });
    }
    if (path === `${base}/metrics` && req.method === 'GET') {
      const text = metrics.render({ sinkKind: sink.kind, sinkUp: sink.isUp(), inFlight: inFlight.count(), sinkStats: sink.stats?.() }) + (resolved.extraMetrics?.() ?? '');
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(text);
      return;
    }
    if (next) return next();
    sendError(res, 404, 'not_found');
  }) as Collector;

  const publicReady = ready.then(() => undefined);
  publicReady.catch(() => undefined); // whoever awaits it sees the error; unawaited it must not crash
  Object.defineProperty(handler, 'ready', { value: publicReady });
  Object.defineProperty(handler, 'sink', { value: sink });
  handler.close = () => {
    closing ??= (async () => {
      await inFlight.drained(Math.max(resolved.sinkTimeoutMs, resolved.bodyTimeoutMs) + 1000);
      await sink.close();
      log({ msg: 'collector_closed', sink: sink.kind });
    })();
    return closing;
  };
  return handler;
}
