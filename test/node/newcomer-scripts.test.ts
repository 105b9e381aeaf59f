// What a newcomer runs from a clone: the simulator's checks and hints, and the one build rule of
// npm start / npm run simulate / npm run bench (a bench on a tree without dist/ measured nothing
// and reported no loss).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module without types
import { ensureBuilt } from '../../scripts/ensure-built.mjs';

const simulate = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, ['scripts/simulate.mjs', ...args], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, ...env } });

describe('npm run simulate', () => {
  it('says "> 0" for --visitors and --rate, and refuses 0 with the same words', () => {
    for (const [args, line] of [
      [['--visitors', 'abc'], '--visitors must be a whole number > 0, got "abc"'],
      [['--visitors', '0'], '--visitors must be a whole number > 0, got "0"'],
      [['--rate', '0'], '--rate must be a number > 0, got "0"'],
    ] as const) {
      const run = simulate(['--url', 'http://127.0.0.1:1', ...args]);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr.trim()).toBe(line);
    }
  });

  it('without --url, posts to PORT and says how to point it at a server on another port', () => {
    const run = simulate(['--visitors', '1'], { PORT: '1' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('cannot reach http://localhost:1/v1/events');
    expect(run.stderr).toContain('PORT=<its port> npm run simulate');
  });
});

describe('ensureBuilt (npm start, npm run simulate, npm run bench)', () => {
  const roots: string[] = [];
  afterAll(() => { for (const r of roots) rmSync(r, { recursive: true, force: true }); });
  const tree = (build: string) => {
    const root = mkdtempSync(join(tmpdir(), 'fp-ensure-built-'));
    roots.push(root);
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'a.ts'), 'export {};\n');
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 't', private: true, scripts: { build } }));
    return root;
  };
  const quiet = { who: 'bench', log: () => undefined };

  it('builds a tree without dist/ first, quietly, then finds it fresh', () => {
    const root = tree(`node -e "console.log('  dist/core.js: 5117 B brotli (budget 4096)  <-- OVER BUDGET');require('fs').mkdirSync('dist');require('fs').writeFileSync('dist/core.js','')"`);
    // In its own process, as npm start runs it: what the newcomer's console shows.
    const script = `import(${JSON.stringify(new URL('../../scripts/ensure-built.mjs', import.meta.url).href)}).then((m) => console.log(m.ensureBuilt(${JSON.stringify(root)}, ['dist/core.js'])))`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(run.stdout).toContain('feedpulse: building first (missing dist/core.js');
    expect(run.stdout.trim().split('\n').pop()).toBe('built');
    expect(run.stdout + run.stderr).not.toContain('OVER BUDGET');
    expect(existsSync(join(root, 'dist/core.js'))).toBe(true);
    expect(ensureBuilt(root, ['dist/core.js'], quiet)).toBe('fresh');
  });

  it('stops with a message naming what is missing when the build fails, instead of measuring nothing', () => {
    const root = tree('node -e "process.exit(3)"');
    expect(() => ensureBuilt(root, ['dist/core.js', 'dist/feedpulse.min.js'], quiet))
      .toThrow('bench: the build failed and dist/core.js, dist/feedpulse.min.js are missing');
  });
});

describe.skipIf(!existsSync('dist/core.js'))('npm run bench without the other SDKs', () => {
  it('does not report "Nowhere" as its losses when it compared with nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fp-bench-claim-'));
    try {
      const out = join(dir, 'BENCHMARKS.md');
      const run = spawnSync(process.execPath, ['bench/run.mjs', '--quick', '--no-anchors', '--only=sizes', `--out=${out}`, `--json=${join(dir, 'b.json')}`],
        { encoding: 'utf8', timeout: 120_000, env: { ...process.env, FEEDPULSE_BENCH_WORKDIR: join(dir, 'work') } });
      expect(run.status, run.stderr.slice(-1000)).toBe(0);
      const losses = readFileSync(out, 'utf8').split('## Where Feedpulse loses')[1];
      expect(losses).toContain('Not known: no other SDK was measured in this run');
      expect(losses).not.toContain('Nowhere');
    } finally { rmSync(dir, { recursive: true, force: true }); }
  }, 130_000);
});
