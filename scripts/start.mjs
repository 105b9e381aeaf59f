#!/usr/bin/env node
// `npm start`: build when dist/ is missing or older than src/, then run the server command
// (bin/cli.mjs, the same as `npx feedpulse`): the demo shop (/), the live dashboard (/dashboard) and
// the collector (/v1/events) from one process on PORT (default 8080).
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

const { runCli } = await import('../bin/cli.mjs');
await runCli(process.argv.slice(2), { trafficHint: 'npm run simulate   (or the "Simulate traffic" button on the dashboard)' });
