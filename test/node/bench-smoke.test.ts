// Keeps `npm run bench` from rotting: runs it at --quick sizes. Feedpulse's own parts always run;
// the anchors (Sentry, PostHog, Segment, RudderStack) live in bench/node_modules, which a fresh clone
// does not have, so the full-harness run uses --no-anchors and the sizes run uses them only when
// installed. Checks that each section produced figures, not what the figures are (that is the bench's job),
// except Feedpulse's offline survival, which is a promise the SDK makes: all of it.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '..', '..');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromium);
const built = existsSync(join(repo, 'dist/core.js')) && existsSync(join(repo, 'dist/feedpulse.min.js'));
const anchorsInstalled = existsSync(join(repo, 'bench/node_modules/esbuild/package.json'));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bench's JSON report, read as loosely as it is written
interface Run { status: number | null; stdout: string; stderr: string; md: string; json: Record<string, any> }

function bench(args: string[], timeout: number): Run {
  const dir = mkdtempSync(join(tmpdir(), 'fp-bench-'));
  const out = join(dir, 'BENCHMARKS.md');
  const jsonFile = join(dir, 'bench.json');
  const r = spawnSync(process.execPath, ['bench/run.mjs', '--quick', `--out=${out}`, `--json=${jsonFile}`, ...args], {
    cwd: repo, encoding: 'utf8', timeout, env: { ...process.env, FEEDPULSE_BENCH_WORKDIR: join(dir, 'work') },
  });
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, md: read(out), json: read(jsonFile) ? JSON.parse(read(jsonFile)) : {} };
}

describe.skipIf(!built)('npm run bench -- --quick', () => {
  it('measures Feedpulse in every section with the anchors skipped', () => {
    const run = bench(['--no-anchors', '--only=sizes,main,load,offline,drain,memory,ingest,dashboard'], 240_000);
    expect(run.status, run.stderr.slice(-2000)).toBe(0);
    expect(run.stderr).toContain('anchors skipped (--no-anchors)');
    for (const title of ['## 1. Bytes', '## 3. Offline survival', '## 4. Drain', '## 5. Collector ingest', '## 6. Memory', '## 7. Dashboard latency']) expect(run.md).toContain(title);
    expect(run.md).toMatch(/Machine: .+ \d+ cores, \d+ GiB/);

    const { results } = run.json;
    // Sections 5 and 7 call the collector's and dashboard's own bench scripts; they must still run.
    if (existsSync(join(repo, 'bench/collector-ingest.mjs'))) expect(results.ingest.data.results.embedded.eventsPerSecond, results.ingest.skipped).toBeGreaterThan(0);
    if (existsSync(join(repo, 'bench/dashboard-latency.mjs'))) expect(results.dashboard.markdown, results.dashboard.skipped).toMatch(/p50/);
    const core = results.sizes.rows.find((r: { id: string }) => r.id === 'feedpulse-core');
    expect(core.initial.brotli).toBeGreaterThan(0);
    expect(core.initial.brotli).toBeLessThan(core.initial.min);
    if (!hasChromium) return;
    const track = results.track.rows.find((r: { id: string }) => r.id === 'feedpulse');
    expect(track.calls).toBe(200);
    expect(Number.isFinite(track.medianUs) && Number.isFinite(track.p99Us)).toBe(true);
    // Feedpulse as installed and with pageviews off, each beside itself (the anchors' rows name one of them).
    expect(results.load.rows.map((r: { id: string; peer?: string }) => [r.id, r.peer])).toEqual([['baseline', undefined], ['feedpulse', 'feedpulse'], ['feedpulse-quiet', 'feedpulse-quiet']]);
    const offline = results.offline.rows.find((r: { id: string }) => r.id === 'feedpulse');
    expect(offline.control).toBe('5/5'); // the harness reaches the endpoint at all
    // The outbox's promise: every event made offline arrives once the page is back online.
    expect(offline.arrived).toBe(offline.made);
    const drain = results.drain.rows.find((r: { id: string }) => r.id === 'feedpulse');
    expect(drain.made).toBe(200);
    expect(drain.distinct).toBeLessThanOrEqual(200);
    const memory = results.memory.rows.find((r: { id: string }) => r.id === 'feedpulse');
    expect(memory.heapAfter).toBeGreaterThan(0);
    // Without anchors the headlines state Feedpulse's figures alone: no "anchors add ." or "; ." left
    // where the side-by-side clause would be.
    const heads: string[] = run.json.headlines;
    expect(heads.some((h) => h.startsWith('Page load:')) && heads.some((h) => h.startsWith('Drain of'))).toBe(true);
    for (const h of heads) expect(h).not.toMatch(/add \.|; \.|, \.|\(\)/);
  }, 250_000); // ~35 s alone; generous for a loaded 2-core machine

  it('measures the worker on its database (section 11) at quick sizes', () => {
    const run = bench(['--no-anchors', '--only=worker'], 150_000);
    expect(run.status, run.stderr.slice(-2000)).toBe(0);
    expect(run.md).toContain('## 11. The worker on its database');
    const table: string = run.json.results.worker.markdown;
    // The embedded database needs no server: its one-worker rate and replay are always measured.
    const embedded = (label: string) => Number(table.split('\n').find((l) => l.startsWith(`| ${label}`))?.split('|')[2]?.match(/([\d,]+) events\/s/)?.[1]?.replace(/,/g, ''));
    expect(embedded('One worker')).toBeGreaterThan(0);
    expect(embedded('Replay of 4,000 events')).toBeGreaterThan(0);
    expect(table).toMatch(/\| Per event in batches of 100 ratings.*\| \d+ µs → \d+ µs → \d+ µs \|/);
  }, 160_000);

  it('bundles and sizes the anchors when bench/node_modules has them, and says so when not', () => {
    const run = bench(['--only=sizes'], 60_000);
    expect(run.status, run.stderr.slice(-2000)).toBe(0);
    const rows: { id: string; initial: { brotli: number } }[] = run.json.results.sizes.rows;
    if (anchorsInstalled) {
      expect(rows.map((r) => r.id)).toContain('posthog');
      for (const r of rows) expect(r.initial.brotli).toBeGreaterThan(0);
    } else {
      expect(run.stderr).toContain('anchors skipped');
      expect(rows.map((r) => r.id)).toEqual(['feedpulse-core', 'feedpulse-widget']);
    }
  }, 70_000);
});
