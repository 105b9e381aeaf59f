// The one-process demo (README.md): one node:http server with the demo shop (/), the script
// bundle, the collector (/v1/events, /topics/<topic>, /healthz, /metrics), and the live dashboard (/dashboard) fed
// by a consumer that reads the sink, not the collector's memory.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createCollector, type Collector, type CollectorOptions } from '../collector/index';
import { clientIp } from '../collector/ingest';
import { addressGroup } from '../collector/address-group';
import { resolveOptions, routeBase } from '../collector/options';
import { createLogger, defaultLogger } from '../server/logger';
import { limitConnectionsPerIp, MAX_CONNECTIONS_PER_IP, SERVER_TIMEOUTS } from '../collector/server-limits';
import { checkBrokerPeer } from '../server/peer';
import { createNotifier, type Notifier } from './alerts/notifier';
import { consumerMetrics } from './metrics';
import { loadRules, SEND_WITHIN_MINUTES, type AlertRule, type LoadedRules } from './alerts/rules';
import { alertReader, type AlertReader } from './db/alerts';
import type { Database } from './db/database';
import { openDatabase } from './db/open';
import { startStatistics } from './db/statistics';
import { CHANGES_CHANNEL } from './db/write';
import { parseRoles, type Role } from './roles';
import { handleProcessHealth } from './process-health';
import type { DeliveryOptions } from './alerts/webhook';
import { startConsumer, type Consumer } from './consumer';
import { startRetention } from './responses/retention';
import { createLiveUpdates } from './dashboard/live';
import { createRateTracker } from './dashboard/rate';
import { handleDashboard } from './dashboard/routes';
import { cameOverHttps, checkToken } from './dashboard/auth';
import { createHostCheck } from './dashboard/hosts';
import { createSseHub, type SseLimits } from './dashboard/sse';
import { UNSEEN_PROJECT, unseenView } from './dashboard/unseen';
import { buildView, type DashboardView } from './dashboard/view';
import { ensureDataDir } from './data-dir';
import { demoShopWarnings } from './demo-shop';
import { packageRoot } from './root';
import { createSimulateControl, isSimulatedProject, SIMULATED_PROJECT, simulationKey } from './simulate/control';
import { selectSource, type SourceChoice } from './sources/select';
import { sendFile, sendFileInside } from './static';
import { resolveServerSettings } from './settings';

export interface FeedpulseServerOptions {
  /** Default env PORT, else 8080. Use 0 for any free port. */
  port?: number;
  /** Env HOST. Default 127.0.0.1 without a dashboard token, 0.0.0.0 with one. */
  host?: string;
  /** Env FEEDPULSE_DATA, default `.feedpulse`. */
  dataDir?: string;
  /** Env FEEDPULSE_BROKER; unset = embedded log. The consumer reads from the same place. */
  broker?: string;
  /** Env FEEDPULSE_WEBHOOK_URL: alerts are POSTed here (Slack-compatible JSON). */
  webhookUrl?: string;
  /** Env FEEDPULSE_DASHBOARD_TOKEN: required by /dashboard (page, stream, JSON, simulate) and /metrics when set.
   * Without it the dashboard answers only on a loopback address. */
  dashboardToken?: string;
  /** Env FEEDPULSE_SIMULATE=off turns the dashboard's simulate button off (default on). */
  simulate?: boolean;
  /** Minimum ms from one simulation start to the next (default 60 s). */
  simulateCooldownMs?: number;
  /** Env FEEDPULSE_ALERTS: rules file (default ./feedpulse.alerts.json if present, else built-in rules). */
  alertsFile?: string;
  /** Rules given in code win over any file. */
  rules?: AlertRule[];
  /** One alert per visitor within this many minutes (default: the rules file's, else 30; 0 = off). */
  sameVisitorMinutes?: number;
  /** Webhook only for feedback at most this many minutes old; retried until then (default: the rules file's, else 60). */
  sendWithinMinutes?: number;
  /** Env FEEDPULSE_PUBLIC_URL: the dashboard link put in webhook messages. */
  publicUrl?: string;
  /** Package root holding demo/ and dist/ (found automatically). */
  root?: string;
  /** Passed to createCollector (sink and dataDir come from above). */
  collector?: Omit<CollectorOptions, 'sink' | 'dataDir'>;
  /** Queue / durable consumer names and filters for broker sources (env FEEDPULSE_CONSUMER_NAME names both). */
  source?: Pick<SourceChoice, 'amqp' | 'nats' | 'kafka'>;
  /** The analysis database: PostgreSQL at `url` (env FEEDPULSE_DATABASE_URL), in `schema` when given; else embedded in FEEDPULSE_DATA/db. */
  database?: { url?: string; schema?: string };
  /** Env FEEDPULSE_RETENTION_DAYS: days responses and event ids are kept (default 90; rollups longer, docs/database.md). */
  retentionDays?: number;
  /** Env FEEDPULSE_ROLES: what this process does (default all three): collector, worker, dashboard. */
  roles?: readonly Role[];
  webhookRetry?: Omit<DeliveryOptions, 'signal' | 'giveUpAt'>;
  /** Minimum ms between two dashboard pushes (default 100). */
  liveIntervalMs?: number;
  /** Env FEEDPULSE_ALERTS_KEEP: alerts kept in the alert log, newest first (default 1000). */
  alertsKeep?: number;
  /** Projects with their own figures for the dashboard's project filter (default 50). */
  maxProjects?: number;
  /** Caps on dashboard streams: maxStreams (default 200), maxStreamsPerAddress (default 20), buffered bytes. */
  streams?: SseLimits;
}

export interface FeedpulseServer {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Absent without the collector role. */
  readonly collector: Collector | undefined;
  /** The worker; absent without the worker role. */
  readonly consumer: Consumer | undefined;
  /** The analysis database (figures, responses, alerts). */
  readonly db: Database;
  readonly roles: readonly Role[];
  /** Alerts as the dashboard reads them. */
  readonly alertReader: AlertReader;
  /** Absent without the worker role. */
  readonly notifier: Notifier | undefined;
  readonly rulesSource: string;
  /** Lines for the start banner: who can reach the dashboard, and why (printed by `npm start`). */
  readonly notes: string[];
  /** Settings that keep the demo shop at / from posting (FEEDPULSE_ORIGINS, FEEDPULSE_KEYS), in words. */
  readonly warnings: readonly string[];
  /** The dashboard view as JSON (what the stream sends). */
  view(project?: string): Promise<DashboardView>;
  /** Graceful: stop accepting, close the collector (flush the sink), let the worker finish its batch, close the database. */
  close(): Promise<void>;
}

/** The projects a change notification names (db/write.ts): a JSON list, or "*" (undefined: all). */
function changedProjects(payload: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(payload);
    return Array.isArray(parsed) && parsed.every((p) => typeof p === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The request target as the collector parses it; undefined when it is no URL (the collector answers 400). */
function parsedTarget(req: IncomingMessage): URL | undefined {
  try { return new URL(req.url ?? '/', 'http://feedpulse.invalid'); } catch { return undefined; }
}

/** 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^::ffff:127\./.test(h);
}

/**
 * The demo page must work under the strict CSP the widget supports (docs/widget.md, "Content Security Policy"). It may not
 * be framed by another site (a framed rating widget can be clickjacked), forms post only to it, and
 * no <base> can redirect its relative URLs.
 */
const DEMO_PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
  'x-frame-options': 'DENY', // for browsers without frame-ancestors
  'referrer-policy': 'strict-origin-when-cross-origin',
};

export async function startFeedpulseServer(options: FeedpulseServerOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<FeedpulseServer> {
  const root = options.root ?? packageRoot();
  // Every server setting is read and checked here, once (src/consumer/settings.ts).
  const settings = resolveServerSettings(options, env);
  const dataDir = resolve(settings.dataDir);
  const { broker, webhookUrl, dashboardToken: token, port } = settings;
  // Without a token the dashboard is open, so by default only this machine can reach it.
  const host = settings.host ?? (token ? '0.0.0.0' : '127.0.0.1');
  const dashboardOff = !token && !isLoopbackHost(host)
    ? `The dashboard is off: this server listens on ${host} and FEEDPULSE_DASHBOARD_TOKEN is not set. Set a token, or listen on 127.0.0.1 (HOST).`
    : undefined;
  const { publicUrl, simulate: simulateEnabled } = settings;
  const roles = options.roles ?? settings.roles ?? parseRoles(undefined);
  const has = (role: Role) => roles.includes(role);

  // The collector's settings are checked before anything is opened, so a bad one (FEEDPULSE_KEYS,
  // FEEDPULSE_ORIGINS, a limit) stops the start with its message and leaves nothing half-started.
  // The resolved values are what the collector gets, so `env` governs it too.
  const collectorOptions = resolveOptions({ ...options.collector, sink: broker, dataDir }, env);
  // Connections per client IP (checked here with the rest). Behind a trusted proxy every connection
  // is the proxy's, so that cap is left to the proxy.
  const maxConnections = settings.maxConnectionsPerIp ?? (collectorOptions.trustProxy ? false : MAX_CONNECTIONS_PER_IP);
  // With write keys, the simulate button gets a key of its own, valid for its project only.
  const simulateKey = simulateEnabled && collectorOptions.keys ? simulationKey() : undefined;
  if (simulateKey) collectorOptions.keys = { ...collectorOptions.keys, [simulateKey]: SIMULATED_PROJECT };
  await checkBrokerPeer(broker);

  const loaded: LoadedRules = options.rules
    ? { rules: options.rules, source: 'options' }
    : await loadRules(settings.alertsFile);
  const { rules, source: rulesSource } = loaded;
  const sameVisitorMinutes = options.sameVisitorMinutes ?? loaded.sameVisitorMinutes;
  const sendWithinMinutes = options.sendWithinMinutes ?? loaded.sendWithinMinutes ?? SEND_WITHIN_MINUTES;
  if (!(sendWithinMinutes > 0)) throw new Error(`sendWithinMinutes must be a number > 0, got ${sendWithinMinutes}`);
  await ensureDataDir(dataDir);
  const { alertsKeep } = settings;
  const db = await openDatabase({ url: options.database?.url ?? settings.databaseUrl, schema: options.database?.schema ?? settings.databaseSchema, dataDir: join(dataDir, 'db') });
  const reader = alertReader(db);
  // Behind a trusted proxy every stream comes from the proxy: count them by the forwarded address
  // (an IPv6 client by its /64, any address of which it may use).
  const hub = createSseHub(undefined, { addressOf: (req) => addressGroup(clientIp(req, collectorOptions.trustProxy)), ...options.streams });
  let live: { changed(): void } = { changed: () => undefined };
  const notifier = has('worker') ? createNotifier({
    url: webhookUrl, db, retry: options.webhookRetry,
    sendWithinMinutes,
    dashboardUrl: publicUrl ? `${publicUrl.replace(/\/$/, '')}/dashboard` : undefined,
    maxQueued: alertsKeep,
    onChange: () => live.changed(),
  }) : undefined;
  // Workers with the same name share the queue / durable consumer / consumer group: they split
  // the stream. Workers with different names each count everything (into their own database).
  const name = settings.consumerName;
  const named = name ? { amqp: { queue: `feedpulse.${name}` }, nats: { durable: `feedpulse-${name}` }, kafka: { groupId: `feedpulse-${name}` } } : {};
  const source = selectSource({
    broker, dataDir, sink: collectorOptions.sinkOptions,
    amqp: { ...named.amqp, ...options.source?.amqp },
    nats: { ...named.nats, ...options.source?.nats },
    kafka: { ...named.kafka, ...options.source?.kafka },
  });
  // The consumer starts before the collector so a broker queue exists before the first publish.
  // Alerts of simulated projects are shown, never webhooked (recorded as webhook "off").
  let consumer: Consumer | undefined;
  let collector: Collector | undefined;
  // Workers prune what is past its retention (every worker may: the deletes are idempotent).
  const retention = has('worker') ? startRetention(db, { eventsDays: settings.retentionDays }) : undefined;
  // The embedded database has no autovacuum: its planner statistics are kept here (db/statistics.ts).
  const statistics = db.kind === 'embedded' ? startStatistics(db) : undefined;
  const stopUpkeep = async () => { retention?.stop(); statistics?.stop(); await retention?.lastRun; await statistics?.lastRun; };
  const release = async () => {
    await stopUpkeep();
    await consumer?.stop().catch(() => undefined);
    await notifier?.close();
    await db.close().catch(() => undefined);
  };
  try {
    if (notifier) {
      consumer = await startConsumer({
        source, db, rules, quietProject: isSimulatedProject, notifier, sameVisitorMinutes, maxProjects: options.maxProjects, alertsKeep,
      });
    }
    if (has('collector')) {
      const worker = consumer;
      collector = createCollector({ ...collectorOptions, ...(worker ? { extraMetrics: () => consumerMetrics(worker) } : {}) });
      await collector.ready;
    }
  } catch (err) {
    await collector?.close().catch(() => undefined);
    await release();
    throw err;
  }

  let selfUrl = '';
  const simulation = createSimulateControl({
    enabled: simulateEnabled, endpoint: () => `${selfUrl}/v1/events`, key: simulateKey, cooldownMs: options.simulateCooldownMs,
    onChange: () => updates.changed(),
  });

  // The dashboard is stateless: every view is read from the database (db/figures), and the rate
  // is the growth of the counted total between view builds (dashboard/rate.ts).
  const rates = createRateTracker();
  // Projects the dashboard knows (with figures or alerts), as the newest view listed them.
  let knownProjects = new Set<string>();
  const view = async (project?: string): Promise<DashboardView> => {
    const built = await buildView({
      db, alerts: reader, source: source.description, failed: consumer?.failed() ?? 0,
      rate: rates.observe, webhook: Boolean(webhookUrl), simulation: simulation.status,
    }, project);
    knownProjects = new Set(built.projects);
    return built;
  };
  // Streams are keyed by the projects the dashboard knows (≤ maxProjects with figures, plus those
  // with alerts): every stream of a made-up project shares one empty view, so `?project=` cannot
  // make the server build a view per name.
  const streamKeys = () => {
    const known = knownProjects;
    return (key: string) => (key === '' || known.has(key) ? key : UNSEEN_PROJECT);
  };
  const updates = createLiveUpdates(hub, (key) => (key === UNSEEN_PROJECT ? unseenView(view) : view(key || undefined)), {
    minIntervalMs: options.liveIntervalMs ?? 100, keyOf: streamKeys, followsAll: (key) => key === UNSEEN_PROJECT,
  });
  live = updates;
  // Every batch any worker commits (any process on PostgreSQL, this one on the embedded database)
  // names the projects it changed; after a lost listening connection, everything may have changed.
  const stopListening = has('dashboard')
    ? await db.listen(CHANGES_CHANNEL, (payload) => updates.changed(changedProjects(payload)), () => updates.changed())
      .catch((err: Error) => {
        // This dashboard then updates from its own worker only.
        defaultLogger({ level: 'error', msg: 'listen_failed', error: err.message });
        consumer?.onBatch(() => updates.changed());
        return async () => undefined;
      })
    : async () => undefined;

  const hostCheck = createHostCheck(host, publicUrl);
  // Where the collector answers /metrics (beside its ingest path). Compared with the path as the
  // collector's URL parser reads it, so /./metrics, /x/../metrics, /%2E/metrics and the absolute
  // form (GET http://host/metrics) are /metrics here too.
  const basePath = routeBase(collectorOptions.path);
  const metricsPath = `${basePath}/metrics`;
  const demoDir = join(root, 'demo');
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://feedpulse.invalid');
    const path = url.pathname;
    // Without the collector (whose /healthz and /metrics answer first otherwise), the process answers its own.
    if (!collector && await handleProcessHealth(req, res, path, basePath, { roles, db, consumer })) return;
    if (has('dashboard') && await handleDashboard(req, res, url, {
      assetsDir: join(demoDir, 'dashboard'), token, hub, view, streamView: updates.current, simulate: simulation.start,
      hostCheck, off: dashboardOff, secure: (r) => cameOverHttps(r, collectorOptions.trustProxy), bodyTimeoutMs: collectorOptions.bodyTimeoutMs,
      database: db,
    })) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const head = req.method === 'HEAD';
    // The script tag, its panel and its locale files may be loaded by pages on other origins, as from a
    // CDN. The panel and the locales come in by import(), which (unlike a classic <script src>) needs CORS.
    const scriptHeaders = { 'cache-control': 'no-cache', 'access-control-allow-origin': '*' };
    if (path === '/feedpulse.min.js' || path === '/feedpulse-panel.js') {
      // The bundle, and its panel (loaded by import() from next to it once the page is idle).
      if (await sendFile(res, join(root, 'dist', path.slice(1)), scriptHeaders, head)) return;
    } else if (path.startsWith('/locales/')) {
      // The script tag's non-English copy, loaded on demand from next to /feedpulse.min.js.
      if (await sendFileInside(res, join(root, 'dist', 'locales'), path.slice('/locales'.length), scriptHeaders, head)) return;
    } else {
      const page = path.endsWith('/') || path.endsWith('.html');
      const headers: Record<string, string> = page ? { ...DEMO_PAGE_HEADERS, 'cache-control': 'no-cache' } : { 'cache-control': 'no-cache' };
      if (await sendFileInside(res, demoDir, path, headers, head)) return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
  };

  // The collector answers first, for every route it has (ingest, the Kafka REST produce route
  // /topics/<topic> and /v1/events/topics/<topic>, /healthz, /metrics): a list kept here would drift
  // from the collector's own. Whatever it does not know falls through to the demo and dashboard.
  // Bounded time per connection: headers, the whole request, keep-alive idle.
  const server = createServer(SERVER_TIMEOUTS, (req, res) => {
    // Every answer (collector JSON, 404, dashboard, its event stream) is read as the type it declares.
    res.setHeader('x-content-type-options', 'nosniff');
    // The collector's /metrics tells how busy the site is and which projects exist: behind the
    // dashboard token when there is one.
    const target = parsedTarget(req);
    if (token && target?.pathname === metricsPath && !checkToken(req, target, token)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="feedpulse-dashboard"' });
      res.end('/metrics needs the dashboard token: Authorization: Bearer <FEEDPULSE_DASHBOARD_TOKEN>.\n');
      return;
    }
    const next = () => {
      handle(req, res).catch((err: Error) => {
        defaultLogger({ level: 'error', msg: 'request_failed', method: req.method, path: new URL(req.url ?? '/', 'http://feedpulse.invalid').pathname, error: err.message });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end();
      });
    };
    if (collector) collector(req, res, next); else next();
  });
  if (maxConnections !== false) limitConnectionsPerIp(server, maxConnections, createLogger(collectorOptions.log));
  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(port, host, () => { server.off('error', fail); ok(); });
    });
  } catch (err) {
    // Port taken or similar: release what was opened so a caller can try again in this process.
    hub.close();
    updates.close();
    await stopListening();
    await collector?.close().catch(() => undefined);
    await release();
    throw err;
  }
  const actualPort = (server.address() as AddressInfo).port;
  // An IPv6 literal needs brackets in a URL (HOST=::1 printed http://::1:8080 and the simulate
  // button posted to that unusable address).
  // The default 127.0.0.1 is shown as localhost, the address the demo is known by.
  const hostDefaulted = settings.host === undefined;
  const shownHost = host === '0.0.0.0' || host === '::' || (hostDefaulted && host === '127.0.0.1') ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${actualPort}`;
  selfUrl = `http://127.0.0.1:${actualPort}`;
  if (host !== '0.0.0.0' && host !== '::' && host !== '127.0.0.1') selfUrl = url;

  const ownOrigins = publicUrl ? [new URL(publicUrl).origin] : [...new Set([url, selfUrl])];
  const warnings = demoShopWarnings(collectorOptions, ownOrigins);

  const notes = [
    dashboardOff ? `Access      ${dashboardOff}` : (token
      ? `Access      token required (FEEDPULSE_DASHBOARD_TOKEN) for /dashboard and /metrics; listening on ${host}`
      : `Access      open, so listening on ${host} only (this machine); to serve others set FEEDPULSE_DASHBOARD_TOKEN and HOST=0.0.0.0`),
    ...(simulateEnabled ? [] : ['Simulate    button off (FEEDPULSE_SIMULATE=off)']),
  ];
  let closing: Promise<void> | undefined;
  return {
    url, port: actualPort, server, collector, consumer, db, roles, alertReader: reader, notifier, rulesSource, warnings, view, notes,
    close() {
      closing ??= (async () => {
        simulation.stop();
        const closed = new Promise<void>((r) => server.close(() => r()));
        hub.close();
        updates.close();
        server.closeIdleConnections();
        await stopListening();
        await collector?.close();
        await stopUpkeep();
        await consumer?.stop();
        await notifier?.close();
        await db.close();
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}
