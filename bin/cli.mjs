// The server command shared by `npx feedpulse` (bin/feedpulse.mjs) and `npm start` in a clone:
// parse the command line, start collector + consumer + dashboard from dist/, print where each
// listens, and close gracefully on SIGTERM / SIGINT.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

export const HELP = `feedpulse ${pkg.version}: collector, live dashboard and demo shop in one process.

Usage: feedpulse [--help | --version]

Everything is configured by environment variables:
  PORT                       port to listen on (default 8080; 0 = any free port)
  HOST                       address to listen on (default 127.0.0.1 without FEEDPULSE_DASHBOARD_TOKEN, 0.0.0.0 with it)
  FEEDPULSE_DATA             data directory: embedded log, id index, embedded database (default .feedpulse)
  FEEDPULSE_BROKER           unset/embedded = the embedded log; amqp://user:pass@host:5672 (needs amqplib);
                             nats://host:4222 (needs nats); kafka://host:9092[,host:9092][?topic=…] (needs kafkajs)
  FEEDPULSE_ORIGINS          origins allowed to post, comma-separated (default *)
  FEEDPULSE_KEYS             write keys, key:project[,key:project…] (default none: every project open)
  FEEDPULSE_DASHBOARD_TOKEN  token required by /dashboard (page, stream, JSON, simulate) and /metrics
                             (default none: open, on a loopback address only)
  FEEDPULSE_SIMULATE         off = no "Simulate traffic" button on the dashboard (default on)
  FEEDPULSE_TRUST_PROXY      1 = take the client IP from X-Forwarded-For (only behind your own proxy)
  FEEDPULSE_PUBLIC_URL       public address of this server, used in alert links (e.g. https://feedback.example.com)
  FEEDPULSE_WEBHOOK_URL      http(s) URL alerts are POSTed to (Slack-compatible JSON)
  FEEDPULSE_ALERTS           alert rules file (default ./feedpulse.alerts.json if present, else built-in rules)
  FEEDPULSE_ALERTS_KEEP      alerts kept in the database (default 1000)
  FEEDPULSE_CONSUMER_NAME    names the workers' broker queue / durable consumer / group (same name = share the stream)
  FEEDPULSE_DATABASE_URL     postgres://… for the analysis database (needs pg; default: embedded in FEEDPULSE_DATA/db, needs @electric-sql/pglite)
  FEEDPULSE_DATABASE_SCHEMA  PostgreSQL only: the schema holding Feedpulse's tables, created if missing (default public)
  FEEDPULSE_RETENTION_DAYS   days responses and event ids are kept in the database (default 90)
  FEEDPULSE_ROLES            collector,worker,dashboard (default all three): what this process does
  FEEDPULSE_AMQP_QUEUE       a durable queue the collector declares, bound to every event (RabbitMQ)
  FEEDPULSE_AMQP_QUEUE_MAX_LENGTH  most messages in each queue Feedpulse declares, 0 = no bound (default 1000000)
  FEEDPULSE_AMQP_MESSAGE_TTL_MS    ms a message may wait in those queues, 0 = no bound (default 7 days)
  FEEDPULSE_NATS_MAX_AGE_MS  oldest message kept when Feedpulse creates the stream, ms, 0 = no bound (default 7 days)
  FEEDPULSE_NATS_MAX_BYTES   most bytes kept when Feedpulse creates the stream, 0 = no bound (default 10 GiB)
  FEEDPULSE_RATE_LIMIT       perSecond[:burst] per client IP and project, or off (default 100:200)
  FEEDPULSE_MAX_CONNECTIONS_PER_IP  open connections per client IP, or off (default 128; off behind FEEDPULSE_TRUST_PROXY)
  FEEDPULSE_BODY_LIMIT       most bytes in one request (default 1048576)
  FEEDPULSE_BATCH_LIMIT      most events in one batch (default 500)
  FEEDPULSE_SINK_TIMEOUT_MS  503 when the sink has not confirmed a batch within this time (default 5000)
  FEEDPULSE_LOG              off = no request log (default: JSON lines on stdout)

Routes: / demo shop, /dashboard, /v1/events (collector), /healthz, /metrics, /feedpulse.min.js,
/feedpulse-panel.js, /locales/<lang>.js.
SIGTERM or SIGINT closes gracefully (collector flush, worker's last batch committed) and exits 0.
A broker that is down at start is retried in the background (the banner warns; /healthz answers 503 until it is up).
Exit 1: the start failed for an outside reason (e.g. the port is taken); 2: a bad setting.
`;

/** The sink as shown in the banner: credentials removed from a broker URL. */
function sinkText(env) {
  const broker = env.FEEDPULSE_BROKER?.trim();
  if (!broker || /^embedded$/i.test(broker)) return `embedded log in ${env.FEEDPULSE_DATA || '.feedpulse'}`;
  return broker.replace(/\/\/[^@/]*@/, '//');
}

const SIMULATE_BUTTON = 'the "Simulate traffic" button on the dashboard';

/**
 * The banner's Traffic line: the command that sends simulated traffic (if the caller has one) and
 * the dashboard's button, unless FEEDPULSE_SIMULATE=off turned it off (the server knows, and says
 * so in its status). Nothing to offer: no line.
 */
async function trafficLine(server, trafficCommand) {
  const command = trafficCommand?.(server);
  const button = server.roles.includes('dashboard') && (await server.view()).simulation.available ? SIMULATE_BUTTON : undefined;
  const text = command && button ? `${command}   (or ${button})` : command ?? button;
  return text ? [`  Traffic     ${text}`] : [];
}

/**
 * The dashboard link's `?token=`: the token itself only on a terminal, where it is a link to click.
 * Under a process manager stdout is the journal or a log file, readable by more people than the
 * root-only settings file the token comes from, so there the link names the variable instead.
 */
const tokenQuery = (token) => (process.stdout.isTTY ? encodeURIComponent(token) : '<FEEDPULSE_DASHBOARD_TOKEN>');

async function banner(server, env, trafficCommand) {
  const token = env.FEEDPULSE_DASHBOARD_TOKEN;
  const serves = (role) => server.roles.includes(role);
  return [
    '',
    `  Feedpulse is running (sink: ${sinkText(env)})`,
    '',
    // The shop posts to this server's own /v1/events: without the collector every rating would 404.
    ...(serves('collector') ? [`  Demo shop   ${server.url}/`] : []),
    ...(serves('dashboard') ? [`  Dashboard   ${server.url}/dashboard${token ? `?token=${tokenQuery(token)}` : ''}`] : []),
    ...(serves('collector') ? [`  Collector   ${server.url}/v1/events   (health ${server.url}/healthz, metrics ${server.url}/metrics)`] : []),
    ...(env.FEEDPULSE_PUBLIC_URL ? [`  Public      ${env.FEEDPULSE_PUBLIC_URL.replace(/\/$/, '')}/dashboard (FEEDPULSE_PUBLIC_URL, through your proxy)`] : []),
    '',
    `  Roles       ${server.roles.join(', ')}`,
    ...(server.consumer ? [`  Worker      ${server.consumer.source.description}`] : []),
    `  Database    ${server.db.description}`,
    `  Alerts      rules from ${server.rulesSource}; webhook ${env.FEEDPULSE_WEBHOOK_URL ? 'on' : 'off (set FEEDPULSE_WEBHOOK_URL)'}`,
    ...(await trafficLine(server, trafficCommand)),
    ...server.notes.map((note) => `  ${note}`),
    ...server.warnings.map((w) => `  Warning     ${w}`),
    // The first attempt has been made by now: a broker that refused it is retried in the background,
    // and the JSON error lines above the banner are easy to miss.
    ...(server.collector && !server.collector.sink.isUp()
      ? [`  Warning     the sink is not connected (the log above says why); retrying, and until then /healthz and POST /v1/events answer 503`]
      : []),
    '',
  ].join('\n');
}

/**
 * A failed start with a system error code (EADDRINUSE, ECONNREFUSED, …) may pass on its own: 1, so a
 * process manager restarts it. Anything else is the configuration (a bad variable, a missing
 * package, a rules file that does not parse): 2, which a restart cannot fix.
 */
const startFailureStatus = (err) => (typeof err?.code === 'string' && /^E[A-Z]+$/.test(err.code) ? 1 : 2);

/**
 * Runs the server until SIGTERM / SIGINT. Exit codes: 0 after a clean close; 1 when the start fails
 * for a reason outside it (e.g. the port is taken; a broker that is down is retried instead) or the close fails; 2 for a bad setting or
 * a bad command line. `trafficCommand`: a function of the started server giving the command that
 * sends simulated traffic to it (shown on the banner's Traffic line).
 */
export async function runCli(argv, { env = process.env, trafficCommand } = {}) {
  const [arg, ...rest] = argv;
  if (arg === '--help' || arg === '-h') { process.stdout.write(HELP); return; }
  if (arg === '--version' || arg === '-v') { console.log(pkg.version); return; }
  if (arg !== undefined || rest.length) {
    console.error(`feedpulse: unknown argument "${arg}"; settings come from environment variables, see feedpulse --help`);
    process.exit(2);
  }

  let server;
  try {
    // sentiment is an optional peer dependency (a browser app that installs feedpulse never gets
    // it), and the dashboard's comment analysis imports it: a missing one is named here.
    const { importPeer } = await import('../dist/collector.js');
    const { startFeedpulseServer } = await importPeer('sentiment', "the dashboard's comment analysis", () => import('../dist/consumer.js'));
    server = await startFeedpulseServer({}, env);
  } catch (err) {
    // One line: the message names the variable (or the port, or the broker) at fault.
    const port = Number(env.PORT || 8080);
    const hint = err.code === 'EADDRINUSE' ? `; port ${port} is taken, try PORT=${port + 1}` : '';
    console.error(`feedpulse: could not start: ${err.message}${hint}`);
    process.exit(startFailureStatus(err));
  }
  // The handlers go in before the banner: whoever reads it may stop the command at once, and a
  // signal that arrives before them kills the process without the graceful close.
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (stopping) { console.log('feedpulse: forced exit'); process.exit(1); }
      stopping = true;
      console.log(`feedpulse: ${signal}, closing (collector flush, worker's last batch committed)…`);
      server.close().then(() => { console.log('feedpulse: closed cleanly'); process.exit(0); },
        (err) => { console.error(`feedpulse: close failed: ${err.message}`); process.exit(1); });
    });
  }
  console.log(await banner(server, env, trafficCommand));
}
