// The package as a user gets it: `npm pack`, install the tarball into an empty folder, and run
// `npx feedpulse` from there. It must serve the dashboard, /healthz and ingest from the installed
// files alone, and stop cleanly on SIGTERM. Needs dist/ (npm test builds first) and the npm registry
// for the package's own dependencies.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchOf, feedbackEvent } from '../helpers/events';

const repo = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'feedpulse-install-'));
const app = join(dir, 'app');
let browserLock = '';
let withoutSentiment: SpawnSyncReturns<string>;
let withoutPglite: SpawnSyncReturns<string>;

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * Runs the installed command as a process manager does (node_modules/.bin/feedpulse, which is what
 * `npx feedpulse` runs: npx itself exits at once on SIGTERM without waiting for its child); resolves
 * once the banner shows the dashboard URL.
 */
function startCli(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const child = spawn(join(app, 'node_modules/.bin/feedpulse'), [], { cwd: app, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((ok, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Dashboard\s+(http:\/\/[^/\s]+)\/dashboard/.exec(output);
      if (match) ok({ child, base: match[1].replace('localhost', '127.0.0.1'), output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => fail(new Error(`npx feedpulse exited (${code}) before it was ready:\n${output}`)));
  });
}

const exitOf = (child: ChildProcess) => new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));

beforeAll(() => {
  if (!existsSync(join(repo, 'dist/consumer.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  const tarball = run('npm', ['pack', '--silent', '--pack-destination', dir], repo).trim().split('\n').pop()!;
  run('mkdir', ['-p', app], dir);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fresh-app', private: true, type: 'module' }));
  const install = (...what: string[]) => run('npm', ['install', ...what, '--no-audit', '--no-fund', '--prefer-offline'], app);
  install(join(dir, tarball));
  // What a browser app gets: the package alone. Then what a server adds: the sentiment peer, and
  // PGlite for the embedded database (a server on PostgreSQL adds pg instead).
  browserLock = readFileSync(join(app, 'package-lock.json'), 'utf8');
  const startWithout = (data: string) => spawnSync(join(app, 'node_modules/.bin/feedpulse'), [], { cwd: app, encoding: 'utf8', timeout: 20_000, env: { ...process.env, PORT: '0', FEEDPULSE_DATA: join(dir, data) } });
  withoutSentiment = startWithout('data-none');
  install('sentiment');
  withoutPglite = startWithout('data-no-pglite');
  install('@electric-sql/pglite@~0.5.17');
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the installed package', () => {
  it('the feedpulse command serves the dashboard, /healthz and ingest, and exits 0 on SIGTERM', async () => {
    const { child, base, output } = await startCli({ PORT: '0', HOST: '127.0.0.1', FEEDPULSE_DATA: join(dir, 'data'), FEEDPULSE_LOG: 'off' });
    try {
      const page = await fetch(`${base}/dashboard`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      const posted = await fetch(`${base}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: batchOf([feedbackEvent('demo-shop')]) });
      expect(posted.status).toBe(200);
      expect(await posted.json()).toMatchObject({ accepted: 1 });
      const shop = await fetch(`${base}/`);
      expect(shop.status).toBe(200);
      expect((await fetch(`${base}/feedpulse.min.js`)).status).toBe(200);
      // The script tag's panel, loaded by import() from next to it: served with CORS, as the locales are.
      const panel = await fetch(`${base}/feedpulse-panel.js`);
      expect(panel.status).toBe(200);
      expect(panel.headers.get('access-control-allow-origin')).toBe('*');
      expect(await panel.text()).toMatch(/as drawPanel\s*\}/);
    } finally {
      const exited = exitOf(child);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    expect(output()).toContain('closed cleanly');
  }, 60_000);

  it('--help lists the environment; a bad variable stops the start with one line naming it, a taken port suggests the next', async () => {
    const help = spawnSync('npx', ['--no-install', 'feedpulse', '--help'], { cwd: app, encoding: 'utf8' });
    expect(help.status).toBe(0);
    for (const name of ['PORT', 'FEEDPULSE_BROKER', 'FEEDPULSE_DATA', 'FEEDPULSE_DASHBOARD_TOKEN', 'FEEDPULSE_TRUST_PROXY']) expect(help.stdout).toContain(name);

    const bad = spawnSync('npx', ['--no-install', 'feedpulse'], { cwd: app, encoding: 'utf8', env: { ...process.env, PORT: 'eighty', FEEDPULSE_DATA: join(dir, 'data-bad') } });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('PORT');

    const taken = await startCli({ PORT: '0', HOST: '127.0.0.1', FEEDPULSE_DATA: join(dir, 'data-taken'), FEEDPULSE_LOG: 'off' });
    try {
      const port = Number(new URL(taken.base).port);
      // The second opens its embedded database (PGlite, WASM: seconds on a busy machine) before it finds the port taken.
      const second = spawnSync(join(app, 'node_modules/.bin/feedpulse'), [], { cwd: app, encoding: 'utf8', timeout: 60_000, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', FEEDPULSE_DATA: join(dir, 'data-taken-2') } });
      expect(second.status).toBe(1);
      expect(second.stderr).toContain(`try PORT=${port + 1}`);
    } finally {
      const exited = exitOf(taken.child);
      taken.child.kill('SIGTERM');
      await exited;
    }

    // No amqplib in the app: the start stops with the package to add, instead of retrying forever.
    const noClient = spawnSync(join(app, 'node_modules/.bin/feedpulse'), [], { cwd: app, encoding: 'utf8', timeout: 20_000, env: { ...process.env, PORT: '0', FEEDPULSE_BROKER: 'amqp://127.0.0.1:1', FEEDPULSE_DATA: join(dir, 'data-amqp') } });
    expect(noClient.status).toBe(2);
    expect(noClient.stderr.trim()).toBe('feedpulse: could not start: FEEDPULSE_BROKER=amqp://… needs the amqplib package: npm install amqplib');

    const unknown = spawnSync('npx', ['--no-install', 'feedpulse', '--port', '80'], { cwd: app, encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('--port');
  }, 150_000);

  it('brings no broker client and no server-only package into a browser app', () => {
    const names = Object.keys((JSON.parse(browserLock) as { packages: Record<string, unknown> }).packages).map((p) => p.replace(/^.*node_modules\//, ''));
    expect(names).toContain('feedpulse');
    for (const server of ['amqplib', 'nats', 'nkeys.js', 'tweetnacl', 'sentiment', 'kafkajs', '@electric-sql/pglite', 'pg']) expect(names).not.toContain(server);
  });

  it('without the sentiment peer, the command says in one line which package to add', () => {
    expect(withoutSentiment.status).toBe(2);
    expect(withoutSentiment.stderr.trim()).toBe("feedpulse: could not start: the dashboard's comment analysis needs the sentiment package: npm install sentiment");
  });

  it('without PGlite and without FEEDPULSE_DATABASE_URL, the command says in one line which package to add', () => {
    expect(withoutPglite.status).toBe(2);
    expect(withoutPglite.stderr.trim()).toBe('feedpulse: could not start: the embedded database (used when FEEDPULSE_DATABASE_URL is unset) needs the @electric-sql/pglite package: npm install @electric-sql/pglite');
  });
});
