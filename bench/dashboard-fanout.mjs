#!/usr/bin/env node
// The collector's answer time while the dashboard is busy: `--streams` SSE streams are opened, each
// with its own `?project=` (made-up names, as an outsider would), while events are POSTed to the
// collector at `--rate` requests/s (10 events each, so every push has something new). Reports the
// POST /v1/events answer time (p50/p99) without and with the streams, how many streams the server
// admitted (and what it answered the others), and the server's RSS (VmRSS now, VmHWM peak).
// First `--preload` simulated visitors (about 7 events each) fill the dashboard, so views cost
// what they cost on a site in use; with `--stalled` the streams never read (a client that only opens).
// The server runs in its own process (dist/consumer.js), as `npm start` runs it.
//
//   node bench/dashboard-fanout.mjs [--streams 300] [--rate 100] [--seconds 8] [--server-options '{"dashboard":{…}}']
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    streams: { type: 'string', default: '300' }, rate: { type: 'string', default: '100' }, seconds: { type: 'string', default: '8' },
    'server-options': { type: 'string', default: '{}' }, preload: { type: 'string', default: '3000' },
    stalled: { type: 'boolean', default: false },
  },
});
if (!existsSync(join(root, 'dist/consumer.js'))) { console.error('bench: run `npm run build` first (dist/consumer.js is missing)'); process.exit(1); }
const { simulateTraffic } = await import(join(root, 'dist/simulate.js'));

const dataDir = mkdtempSync(join(tmpdir(), 'fp-bench-fanout-'));
const proc = spawn(process.execPath, ['--input-type=module', '-e', `
  const { startFeedpulseServer } = await import(${JSON.stringify(join(root, 'dist/consumer.js'))});
  const s = await startFeedpulseServer({ port: 0, host: '127.0.0.1', ...${args['server-options']} });
  process.send({ url: s.url });
  process.on('SIGTERM', () => s.close().then(() => process.exit(0)));
`], {
  cwd: root, stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  env: { ...process.env, FEEDPULSE_DATA: dataDir, FEEDPULSE_LOG: 'off', FEEDPULSE_RATE_LIMIT: 'off', FEEDPULSE_BROKER: '', FEEDPULSE_WEBHOOK_URL: '' },
});
const url = await new Promise((resolve, reject) => { proc.once('message', (m) => resolve(m.url)); proc.once('exit', (c) => reject(new Error(`server exited ${c}`))); });
const { port } = new URL(url);
const rss = () => {
  const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)[1]);
  return { rssMB: Math.round(kb('VmRSS') / 1024), peakMB: Math.round(kb('VmHWM') / 1024) };
};

const events = simulateTraffic({ visitors: 4000, seed: 1 });
if (Number(args.preload) > 0) {
  const history = simulateTraffic({ visitors: Number(args.preload), seed: 2 });
  for (let i = 0; i < history.length; i += 200) {
    await fetch(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ v: 1, sentAt: new Date().toISOString(), events: history.slice(i, i + 200) }) });
  }
  for (let seen = 0; seen < history.length; await new Promise((r) => setTimeout(r, 200))) {
    seen = (await (await fetch(`${url}/dashboard/view.json`)).json()).processed;
  }
  console.log(`preloaded ${history.length} events`);
}
let next = 0;
const post = () => new Promise((resolve) => {
  const batch = events.slice(next, next + 10).map((e) => ({ ...e, ts: new Date().toISOString() }));
  next = (next + 10) % (events.length - 10);
  const body = JSON.stringify({ v: 1, sentAt: new Date().toISOString(), events: batch });
  const started = performance.now();
  const req = request({ port, host: '127.0.0.1', path: '/v1/events', method: 'POST', headers: { 'content-type': 'application/json' }, agent: false }, (res) => {
    res.resume();
    res.on('end', () => resolve(performance.now() - started));
  });
  req.on('error', () => resolve(NaN));
  req.end(body);
});

async function measure(label) {
  const times = [];
  const pending = [];
  const until = Date.now() + Number(args.seconds) * 1000;
  const gap = 1000 / Number(args.rate);
  for (let t = Date.now(); t < until; t += gap) {
    const wait = t - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(post().then((ms) => times.push(ms)));
  }
  await Promise.all(pending);
  const ok = times.filter(Number.isFinite).sort((a, b) => a - b);
  const at = (q) => ok[Math.min(ok.length - 1, Math.floor(q * ok.length))].toFixed(1);
  console.log(`${label}: POST /v1/events p50 ${at(0.5)} ms, p99 ${at(0.99)} ms (${ok.length} requests), server RSS ${rss().rssMB} MB (peak ${rss().peakMB} MB)`);
}

await measure('no streams        ');
// The streams are held by another process, so reading them costs the measuring process nothing.
const holder = spawn(process.execPath, ['--input-type=module', '-e', `
  import { request } from 'node:http';
  const statuses = {};
  const opened = await Promise.all(Array.from({ length: ${Number(args.streams)} }, (_, i) => new Promise((resolve) => {
    const req = request({ port: ${port}, host: '127.0.0.1', path: '/dashboard/stream?project=made-up-' + i, agent: false }, (res) => {
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      if (${args.stalled}) res.pause(); else res.on('data', () => undefined);
      res.on('error', () => undefined);
      resolve(res.statusCode === 200);
    });
    req.on('error', () => { statuses.error = (statuses.error ?? 0) + 1; resolve(false); });
    req.end();
  })));
  process.send({ open: opened.filter(Boolean).length, statuses });
`], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const { open, statuses } = await new Promise((resolve) => holder.once('message', resolve));
console.log(`streams: ${open} of ${args.streams} open; answers ${Object.entries(statuses).map(([s, n]) => `${n}× ${s}`).join(', ')}`);
await measure(`${String(open).padStart(3)} streams open  `);
holder.kill();
proc.kill('SIGTERM');
await new Promise((r) => proc.once('exit', r));
rmSync(dataDir, { recursive: true, force: true });
