// One rule for every script that runs the built files (npm start, npm run simulate, npm run bench):
// build when an output is missing or src/ is newer than the oldest one; if the build fails, go on
// with the previous build only when every output is still there, else stop and say why.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * `outputs` are paths relative to `root`. Returns what happened ('fresh', 'built', or 'stale' when a
 * rebuild failed and the previous build is used); throws when the outputs cannot be had.
 */
export function ensureBuilt(root, outputs, { who = 'feedpulse', log = console.log } = {}) {
  const files = outputs.map((f) => join(root, f));
  const missing = outputs.filter((f, i) => !existsSync(files[i]));
  const src = join(root, 'src');
  const stale = !missing.length && existsSync(src) && newestMtime(src) > Math.min(...files.map((f) => statSync(f).mtimeMs));
  if (!missing.length && !stale) return 'fresh';
  log(missing.length ? `${who}: building first (missing ${missing.join(', ')}; about a minute)…` : `${who}: src/ changed since the last build, rebuilding (about a minute)…`);
  // The build's own output (bundle sizes against the maintainers' byte budgets) is for whoever works
  // on the bundles, not for someone starting the demo: shown only when the build fails.
  const started = Date.now();
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (build.status === 0 && files.every((f) => existsSync(f))) {
    log(`${who}: built in ${Math.round((Date.now() - started) / 1000)} s`);
    return 'built';
  }
  process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}${build.error ? `${build.error.message}\n` : ''}`);
  if (!missing.length) {
    console.warn(`${who}: the build failed; using the previous build in dist/.`);
    return 'stale';
  }
  throw new Error(`${who}: the build failed and ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing; see the errors above (run \`npm run build\`).`);
}
