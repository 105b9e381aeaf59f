// The one-process demo (README.md): one node:http server with the demo shop (/), the script
// bundle, the collector (/v1/events, /topics/<topic>, /healthz, /metrics), and the live dashboard (/dashboard) fed
// by a consumer that reads the sink, not the collector's memory.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createCollector, type Collector, type CollectorOptions } from '../collector/index';
import { resolveOptions } from '../collector/options';
import { envWholeNumber, httpUrl } from '../collector/config-values';
import { createNotifier, type Notifier } from './alerts/notifier';
import { loadRules, SEND_WITHIN_MINUTES, type AlertRule, type LoadedRules } from './alerts/rules';
import { openAlertStore, type AlertStore } from './alerts/store';
import type { DeliveryOptions } from './alerts/webhook';
import { startConsumer, type Consumer } from './consumer';
import { createLiveUpdates } from './dashboard/live';
import { createRateMeter, type RateMeter } from './dashboard/rate';
import { handleDashboard, SIMULATE_LIMITS } from './dashboard/routes';
import { createSseHub } from './dashboard/sse';
import { buildView, type SimulationStatus } from './dashboard/view';
import { ensureDataDir } from './data-dir';
import { packageRoot } from './root';
import { runSimulation } from './simulate/run';
import { selectSource, type SourceChoice } from './sources/select';
import { resolveInside, sendFile } from './static';

export interface FeedpulseServerOptions {
  /** Default env PORT, else 8080. Use 0 for any free port. */
  port?: number;
  /** Default 0.0.0.0 (env HOST). */
  host?: string;
  /** Env FEEDPULSE_DATA, default `.feedpulse`. */
  dataDir?: string;
  /** Env FEEDPULSE_BROKER; unset = embedded log. The consumer reads from the same place. */
  broker?: string;
  /** Env FEEDPULSE_WEBHOOK_URL: alerts are POSTed here (Slack-compatible JSON). */
  webhookUrl?: string;
  /** Env FEEDPULSE_DASHBOARD_TOKEN: required by /dashboard and its stream when set. */
  dashboardToken?: string;
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
  source?: Pick<SourceChoice, 'amqp' | 'nats'>;
  checkpointEveryMs?: number;
  webhookRetry?: Omit<DeliveryOptions, 'signal' | 'giveUpAt'>;
  /** Minimum ms between two dashboard pushes (default 100). */
  liveIntervalMs?: number;
  /** Env FEEDPULSE_ALERTS_KEEP: alerts kept in the alert log, newest first (default 1000). */
  alertsKeep?: number;
  /** Projects with their own figures for the dashboard's project filter (default 50). */
  maxProjects?: number;
}

export interface FeedpulseServer {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  readonly collector: Collector;
  readonly consumer: Consumer;
  readonly alerts: AlertStore;
  readonly notifier: Notifier;
  readonly rulesSource: string;
  /** The dashboard view as JSON (what the stream sends). */
  view(project?: string): ReturnType<typeof buildView>;
  /** Graceful: stop accepting, close the collector (flush the sink), checkpoint the consumer. */
  close(): Promise<void>;
}

/** With write keys configured, the simulate button needs one: preferably for shop-web, else any. */
function writeKeyFor(keys: Record<string, string | string[]> | undefined): { key: string; project: string } | undefined {
  const entries = Object.entries(keys ?? {}).map(([key, p]) => ({ key, projects: Array.isArray(p) ? p : [p] }));
  const preferred = entries.find((e) => e.projects.includes('shop-web'));
  if (preferred) return { key: preferred.key, project: 'shop-web' };
  const any = entries.find((e) => e.projects.length);
  return any ? { key: any.key, project: any.projects[0] } : undefined;
}

/** PORT: a whole number 0–65535 (0: any free port); unset → 8080. */
function portEnv(value: string | undefined): number {
  const n = envWholeNumber(value);
  if (n === undefined) return 8080;
  if (!(n >= 0 && n <= 65535)) throw new Error(`PORT: "${value}" is not a port number (0–65535)`);
  return n;
}

/** The demo page must work under the CSP the widget promises to support (docs/widget.md, "Content Security Policy"). */
const DEMO_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'";

export async function startFeedpulseServer(options: FeedpulseServerOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<FeedpulseServer> {
  const root = options.root ?? packageRoot();
  const dataDir = resolve(options.dataDir ?? (env.FEEDPULSE_DATA || '.feedpulse'));
  const broker = options.broker ?? (env.FEEDPULSE_BROKER || undefined);
  // A webhook URL that is not http(s) would show "webhook on" and then fail every delivery.
  const webhookUrl = options.webhookUrl !== undefined ? httpUrl('webhookUrl', options.webhookUrl) : httpUrl('FEEDPULSE_WEBHOOK_URL', env.FEEDPULSE_WEBHOOK_URL);
  const token = options.dashboardToken ?? (env.FEEDPULSE_DASHBOARD_TOKEN || undefined);
  const port = options.port ?? portEnv(env.PORT);
  const host = options.host ?? (env.HOST || '0.0.0.0');
  const publicUrl = options.publicUrl ?? (env.FEEDPULSE_PUBLIC_URL || undefined);

  // The collector's settings are checked before anything is opened, so a bad one (FEEDPULSE_KEYS,
  // FEEDPULSE_ORIGINS, a limit) stops the start with its message and leaves nothing half-started.
  // The resolved values are what the collector gets, so `env` governs it too.
  const collectorOptions = resolveOptions({ ...options.collector, sink: broker, dataDir }, env);

  const loaded: LoadedRules = options.rules
    ? { rules: options.rules, source: 'options' }
    : await loadRules(options.alertsFile ?? (env.FEEDPULSE_ALERTS || undefined));
  const { rules, source: rulesSource } = loaded;
  const sameVisitorMinutes = options.sameVisitorMinutes ?? loaded.sameVisitorMinutes;
  const sendWithinMinutes = options.sendWithinMinutes ?? loaded.sendWithinMinutes ?? SEND_WITHIN_MINUTES;
  if (!(sendWithinMinutes > 0)) throw new Error(`sendWithinMinutes must be a number > 0, got ${sendWithinMinutes}`);
  await ensureDataDir(dataDir);
  const consumerDir = join(dataDir, 'consumer');
  const keepEnv = Number(env.FEEDPULSE_ALERTS_KEEP);
  const alertsKeep = options.alertsKeep ?? (env.FEEDPULSE_ALERTS_KEEP?.trim() && Number.isInteger(keepEnv) && keepEnv > 0 ? keepEnv : undefined);
  if (env.FEEDPULSE_ALERTS_KEEP?.trim() && alertsKeep === undefined) throw new Error(`FEEDPULSE_ALERTS_KEEP must be a positive whole number, got "${env.FEEDPULSE_ALERTS_KEEP}"`);
  const alerts = await openAlertStore(join(consumerDir, 'alerts.jsonl'), { keep: alertsKeep });
  const hub = createSseHub();
  let live: { changed(): void } = { changed: () => undefined };
  const notifier = createNotifier({
    url: webhookUrl, store: alerts, retry: options.webhookRetry,
    sendWithinMinutes,
    dashboardUrl: publicUrl ? `${publicUrl.replace(/\/$/, '')}/dashboard` : undefined,
    onChange: () => live.changed(),
  });
  // Two dashboards reading one broker each need their own queue / durable consumer.
  const name = env.FEEDPULSE_CONSUMER_NAME?.trim();
  const named = name ? { amqp: { queue: `feedpulse.${name}` }, nats: { durable: `feedpulse-${name}` } } : {};
  const source = selectSource({
    broker, dataDir,
    amqp: { ...named.amqp, ...options.source?.amqp },
    nats: { ...named.nats, ...options.source?.nats },
  });
  // The consumer starts before the collector so a broker queue exists before the first publish.
  const consumer = await startConsumer({ source, dir: consumerDir, rules, alerts, notifier, checkpointEveryMs: options.checkpointEveryMs, sameVisitorMinutes, maxProjects: options.maxProjects });
  let collector: Collector;
  try {
    collector = createCollector(collectorOptions);
    await collector.ready;
  } catch (err) {
    await consumer.stop().catch(() => undefined);
    await notifier.close();
    await alerts.close();
    throw err;
  }

  const simulation: SimulationStatus = { running: false, sent: 0, total: 0 };
  const rate = createRateMeter(() => consumer.processed());
  // One meter per project with figures (bounded by the consumer's maxProjects), made when first shown.
  const projectRates = new Map<string, RateMeter>();
  const rateOf = (project?: string): number => {
    if (project === undefined) return rate.perSecond();
    if (!consumer.projects.has(project)) return 0;
    let meter = projectRates.get(project);
    if (!meter) projectRates.set(project, (meter = createRateMeter(() => consumer.projects.get(project)?.volume.total ?? 0)));
    return meter.perSecond();
  };
  const view = (project?: string) => buildView({
    analysis: consumer.analysis, projects: consumer.projects, alerts, source: source.description, processed: consumer.processed(),
    rate: rateOf, webhook: notifier.enabled, simulation,
  }, project);
  const updates = createLiveUpdates(hub, (key) => view(key || undefined), options.liveIntervalMs ?? 100);
  live = updates;
  consumer.onBatch(() => updates.changed());

  let selfUrl = '';
  const stopSimulation = new AbortController();
  const simulationKey = writeKeyFor(collectorOptions.keys);
  const simulate = ({ visitors = 1500, rate = 400 }: { visitors?: number; rate?: number }): string | undefined => {
    if (simulation.running) return 'a simulation is already running';
    Object.assign(simulation, { running: true, sent: 0, total: 0, startedAt: new Date().toISOString(), error: undefined });
    updates.changed();
    runSimulation({
      endpoint: `${selfUrl}/v1/events`, visitors: Math.min(visitors, SIMULATE_LIMITS.visitors.max), rate: Math.min(rate, SIMULATE_LIMITS.rate.max), signal: stopSimulation.signal,
      ...(simulationKey ? { project: simulationKey.project, headers: { 'x-feedpulse-key': simulationKey.key } } : {}),
      onProgress: (sent, total) => { simulation.sent = sent; simulation.total = total; updates.changed(); },
    }).then((r) => { if (r.error) simulation.error = r.error; else if (r.failedBatches) simulation.error = `${r.failedBatches} batches failed (${r.failure})`; })
      .catch((err: Error) => { simulation.error = err.message; })
      .finally(() => { simulation.running = false; updates.changed(); });
    return undefined;
  };

  const demoDir = join(root, 'demo');
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://feedpulse.invalid');
    const path = url.pathname;
    if (await handleDashboard(req, res, url, { assetsDir: join(demoDir, 'dashboard'), token, hub, view, simulate })) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const head = req.method === 'HEAD';
    // The script tag and its locale files may be loaded by pages on other origins, as from a CDN. The
    // locales come in by import(), which (unlike a classic <script src>) needs CORS.
    const scriptHeaders = { 'cache-control': 'no-cache', 'access-control-allow-origin': '*' };
    if (path === '/feedpulse.min.js') {
      if (await sendFile(res, join(root, 'dist', 'feedpulse.min.js'), scriptHeaders, head)) return;
    } else if (path.startsWith('/locales/')) {
      // The script tag's non-English copy, loaded on demand from next to /feedpulse.min.js.
      const file = resolveInside(join(root, 'dist', 'locales'), path.slice('/locales'.length));
      if (file && (await sendFile(res, file, scriptHeaders, head))) return;
    } else {
      const file = resolveInside(demoDir, path);
      const headers: Record<string, string> = file?.endsWith('.html') ? { 'content-security-policy': DEMO_CSP, 'cache-control': 'no-cache' } : { 'cache-control': 'no-cache' };
      if (file && (await sendFile(res, file, headers, head))) return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
  };

  // The collector answers first, for every route it has (ingest, the Kafka REST produce route
  // /topics/<topic> and /v1/events/topics/<topic>, /healthz, /metrics): a list kept here would drift
  // from the collector's own. Whatever it does not know falls through to the demo and dashboard.
  const server = createServer((req, res) => {
    collector(req, res, () => {
      handle(req, res).catch((err: Error) => {
        console.error(`feedpulse server: ${req.method} ${req.url}: ${err.message}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end();
      });
    });
  });
  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(port, host, () => { server.off('error', fail); ok(); });
    });
  } catch (err) {
    // Port taken or similar: release what was opened so a caller can try again in this process.
    hub.close();
    updates.close();
    rate.close();
    await collector.close().catch(() => undefined);
    await consumer.stop().catch(() => undefined);
    await notifier.close();
    await alerts.close();
    throw err;
  }
  const actualPort = (server.address() as AddressInfo).port;
  // An IPv6 literal needs brackets in a URL (HOST=::1 printed http://::1:8080 and the simulate
  // button posted to that unusable address).
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${actualPort}`;
  selfUrl = `http://127.0.0.1:${actualPort}`;
  if (host !== '0.0.0.0' && host !== '::' && host !== '127.0.0.1') selfUrl = url;

  let closing: Promise<void> | undefined;
  return {
    url, port: actualPort, server, collector, consumer, alerts, notifier, rulesSource, view,
    close() {
      closing ??= (async () => {
        stopSimulation.abort();
        rate.close();
        for (const meter of projectRates.values()) meter.close();
        const closed = new Promise<void>((r) => server.close(() => r()));
        hub.close();
        updates.close();
        server.closeIdleConnections();
        await collector.close();
        await consumer.stop();
        await notifier.close();
        await alerts.close();
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}
