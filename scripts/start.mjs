#!/usr/bin/env node
// `npm start`: build when dist/ is missing or older than src/, then serve the demo shop (/), the
// live dashboard (/dashboard) and the collector (/v1/events) from one process on PORT (default 8080).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outputs = ['dist/consumer.js', 'dist/collector.js', 'dist/feedpulse.min.js'].map((f) => join(root, f));

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const missing = outputs.filter((f) => !existsSync(f));
const stale = !missing.length && newestMtime(join(root, 'src')) > Math.min(...outputs.map((f) => statSync(f).mtimeMs));
if (missing.length || stale) {
  console.log(missing.length ? `feedpulse: building (missing ${missing.map((f) => f.slice(root.length)).join(', ')})…` : 'feedpulse: src/ changed since the last build, rebuilding…');
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    if (outputs.every((f) => existsSync(f))) console.warn('feedpulse: the build failed; starting with the previous build in dist/.');
    else { console.error('feedpulse: the build failed and dist/ is incomplete; see the errors above.'); process.exit(build.status ?? 1); }
  }
}

const { startFeedpulseServer } = await import(join(root, 'dist/consumer.js'));
let server;
try {
  server = await startFeedpulseServer();
} catch (err) {
  console.error(`feedpulse: could not start: ${err.message}`);
  if (err.code === 'EADDRINUSE') console.error(`Port ${process.env.PORT || 8080} is taken; try PORT=8081 npm start`);
  process.exit(1);
}

const token = process.env.FEEDPULSE_DASHBOARD_TOKEN;
// `embedded` names the default sink, like an unset FEEDPULSE_BROKER.
const broker = /^\s*(embedded)?\s*$/i.test(process.env.FEEDPULSE_BROKER ?? '') ? undefined : process.env.FEEDPULSE_BROKER.trim();
const lines = [
  '',
  `  Feedpulse is running (sink: ${broker ? broker.replace(/\/\/[^@/]*@/, '//') : `embedded log in ${process.env.FEEDPULSE_DATA || '.feedpulse'}`})`,
  '',
  `  Demo shop   ${server.url}/`,
  `  Dashboard   ${server.url}/dashboard${token ? `?token=${encodeURIComponent(token)}` : ''}`,
  `  Collector   ${server.url}/v1/events   (health ${server.url}/healthz, metrics ${server.url}/metrics)`,
  '',
  `  Consumer    ${server.consumer.source.description}`,
  `  Alerts      rules from ${server.rulesSource}; webhook ${process.env.FEEDPULSE_WEBHOOK_URL ? 'on' : 'off (set FEEDPULSE_WEBHOOK_URL)'}`,
  `  Traffic     npm run simulate   (or the "Simulate traffic" button on the dashboard)`,
  ...server.notes.map((note) => `  ${note}`),
  '',
];
console.log(lines.join('\n'));

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) { console.log('feedpulse: forced exit'); process.exit(1); }
    stopping = true;
    console.log(`\nfeedpulse: ${signal}, closing (collector flush, consumer checkpoint)…`);
    server.close().then(() => { console.log('feedpulse: closed cleanly'); process.exit(0); },
      (err) => { console.error(`feedpulse: close failed: ${err.message}`); process.exit(1); });
  });
}
