#!/usr/bin/env node
// `npm run simulate`: replays realistic shop traffic (visitors browsing, clicking, rating on four
// scales, commenting in English, German, French and Spanish, plus a short payment outage) through
// a running collector over HTTP, so the dashboard has something real to show.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureBuilt } from './ensure-built.mjs';

const HELP = `Usage: npm run simulate -- [options]

  --url <url>         collector base URL or /v1/events URL (default http://localhost:$PORT or :8080)
  --visitors <n>      simulated visitors (default 2000; about 7 events each)
  --rate <n>          events per second (default 400)
  --days <n>          days of history before the live hour (default 7)
  --live <0..1>       share of visitors in the last hour (default 0.4)
  --incident <min>    a 15-minute payment outage this many minutes ago (default 35; 0 = none)
  --project <name>    project name on the events (default shop-web)
  --seed <n>          random seed for a reproducible run
  --key <key>         public write key, when the collector has FEEDPULSE_KEYS set
`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      url: { type: 'string' }, visitors: { type: 'string' }, rate: { type: 'string' }, days: { type: 'string' },
      live: { type: 'string' }, incident: { type: 'string' }, project: { type: 'string' }, seed: { type: 'string' },
      key: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (err) {
  // An unknown option, a missing value or a stray argument is a usage error, not a crash: one line
  // (the first sentence of parseArgs' message, without its advice about '--'), then the usage.
  if (!String(err.code).startsWith('ERR_PARSE_ARGS_')) throw err;
  console.error(`simulate: ${err.message.split('. ')[0]}\n\n${HELP}`);
  process.exit(2);
}
if (values.help) { console.log(HELP); process.exit(0); }

const root = fileURLToPath(new URL('..', import.meta.url));
try {
  ensureBuilt(root, ['dist/simulate.js'], { who: 'simulate' });
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
const { runSimulation } = await import(join(root, 'dist/simulate.js'));

// Every option is read here, before anything is printed or sent, so a wrong one stops at once.
// `positive`: 0 is refused too, and the message says so (it said "≥ 0" and then refused 0).
const number = (name, fallback, { whole = false, max = Infinity, positive = false } = {}) => {
  if (values[name] === undefined) return fallback;
  const n = Number(values[name]);
  if (values[name].trim() === '' || !Number.isFinite(n) || n < 0 || (positive && n === 0) || n > max || (whole && !Number.isInteger(n))) {
    console.error(`--${name} must be a ${whole ? 'whole number' : 'number'} ${positive ? '> 0' : '≥ 0'}${max < Infinity ? ` and ≤ ${max}` : ''}, got "${values[name]}"`);
    process.exit(2);
  }
  return n;
};
const base = values.url ?? `http://localhost:${process.env.PORT || 8080}`;
const endpoint = /\/v1\/events\/?$/.test(base) ? base : `${base.replace(/\/$/, '')}/v1/events`;
const visitors = number('visitors', 2000, { whole: true, positive: true });
const rate = number('rate', 400, { positive: true });
const days = number('days', 7);
const liveShare = number('live', 0.4, { max: 1 });
const incidentMinutesAgo = number('incident', 35);
const seed = values.seed === undefined ? undefined : number('seed', 1, { whole: true });

try {
  const health = await fetch(endpoint.replace(/\/v1\/events\/?$/, '/healthz'));
  if (!health.ok) console.warn(`simulate: ${endpoint} health says ${health.status}; trying anyway`);
} catch (err) {
  // Without --url the port is PORT's, which the server's shell may have set and this one not.
  const where = values.url ? '' : ` If it listens on another port, run PORT=<its port> npm run simulate (its start banner shows the command) or pass --url.`;
  console.error(`simulate: cannot reach ${endpoint} (${err.cause?.code ?? err.message}). Start the server first: npm start.${where}`);
  process.exit(1);
}

console.log(`simulate: ${visitors} visitors → ${endpoint} at ${rate} events/s`);
let lastPrint = 0;
const result = await runSimulation({
  endpoint, visitors, rate, days, liveShare, incidentMinutesAgo, project: values.project ?? 'shop-web', seed,
  headers: values.key ? { 'x-feedpulse-key': values.key } : {},
  onProgress: (sent, total) => {
    if (Date.now() - lastPrint < 1000 && sent < total) return;
    lastPrint = Date.now();
    process.stdout.write(`\r  sent ${sent} / ${total} events`);
  },
});
console.log(`\nsimulate: ${result.sent < result.events ? `${result.sent} of ${result.events}` : result.events} events in ${(result.ms / 1000).toFixed(1)} s — accepted ${result.accepted}, duplicates ${result.duplicates}, rejected ${result.rejected}, failed batches ${result.failedBatches}`);
if (result.error) console.error(`simulate: stopped early: ${result.error}`);
else if (result.failedBatches) console.error(`simulate: ${result.failedBatches} of ${result.batches} batches failed; the first: ${result.failure}`);
process.exit(result.failedBatches ? 1 : 0);
