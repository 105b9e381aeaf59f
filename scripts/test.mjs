#!/usr/bin/env node
// `npm test`: lint, type-check, build, then every test (unit, Node/broker integration, real-Chromium browser tests).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`\nfeedpulse tests need Chromium at ${chromium} (browser tests run in real Chromium).\n` +
    'Install it with:  sudo apt-get install -y chromium   (Debian/Ubuntu)\n' +
    'or point CHROMIUM_PATH at a Chromium/Chrome binary.  The playwright browser download is not used.\n');
  process.exit(1);
}
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
// Lint and types first: they take seconds and name the line.
run('npm', ['run', '--silent', 'lint']);
run('npm', ['run', '--silent', 'typecheck']);
run('npm', ['run', '--silent', 'build']);
run('npx', ['vitest', 'run', ...process.argv.slice(2)]);
