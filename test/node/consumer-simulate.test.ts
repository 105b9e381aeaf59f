// The traffic simulator: reproducible with a seed, valid wire events, and the variety the
// dashboard needs (all scales, four languages, clicks, critical comments, history and live hour).
import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/consumer/analysis/language';
import { isValidRating } from '../../src/consumer/analysis/scales';
import { sendEvents } from '../../src/consumer/simulate/send';
import { simulateTraffic } from '../../src/consumer/simulate/traffic';

const NOW = Date.parse('2026-11-25T10:00:00.000Z');

describe('simulateTraffic', () => {
  const events = simulateTraffic({ visitors: 1500, seed: 7, now: NOW });

  it('is reproducible with a seed (apart from the random ids)', () => {
    const again = simulateTraffic({ visitors: 1500, seed: 7, now: NOW });
    const strip = (list: typeof events) => list.map(({ id: _id, anonymousId: _a, sessionId: _s, ...rest }) => rest);
    expect(strip(again)).toEqual(strip(events));
  });

  it('makes valid events, oldest first, none in the future', () => {
    expect(events.length).toBeGreaterThan(1500 * 3);
    for (const e of events) {
      expect(e.id).toMatch(/^[A-Za-z0-9_-]{21}$/);
      expect(Date.parse(e.ts)).toBeLessThanOrEqual(NOW);
      if (e.type === 'feedback') expect(isValidRating(e.data.rating, e.data.scale)).toBe(true);
    }
    expect(events.map((e) => e.ts)).toEqual(events.map((e) => e.ts).sort());
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('has every scale, four languages, clicks and critical comments, over days and the live hour', () => {
    const feedback = events.filter((e) => e.type === 'feedback');
    expect(new Set(feedback.map((e) => (e.data as { scale: string }).scale))).toEqual(new Set(['stars', 'emoji', 'nps', 'thumbs']));
    const comments = feedback.map((e) => (e.data as { comment?: string }).comment).filter((c): c is string => Boolean(c));
    expect(new Set(comments.map(detectLanguage))).toEqual(new Set(['en', 'de', 'fr', 'es']));
    expect(comments.some((c) => /broken/i.test(c))).toBe(true);
    expect(comments.some((c) => /refund/i.test(c))).toBe(true);
    expect(comments.some((c) => /charged twice/i.test(c))).toBe(true);
    expect(new Set(events.filter((e) => e.type === 'click').map((e) => (e.data as { selector: string }).selector)).size).toBeGreaterThan(10);
    const days = new Set(events.map((e) => e.ts.slice(0, 10)));
    expect(days.size).toBeGreaterThanOrEqual(7);
    expect(events.filter((e) => NOW - Date.parse(e.ts) < 3_600_000).length / events.length).toBeGreaterThan(0.25);
  });
});

describe('sendEvents', () => {
  it('stops early with the reason when the collector is not there, instead of retrying every batch', async () => {
    const { createServer } = await import('node:net');
    // A port that refuses connections: bind one, note it, close it.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as import('node:net').AddressInfo;
    await new Promise((r) => probe.close(r));
    const events = simulateTraffic({ visitors: 300, seed: 3, now: NOW });
    const started = Date.now();
    const result = await sendEvents(events, { endpoint: `http://127.0.0.1:${port}/v1/events`, rate: 100_000, attempts: 3 });
    // 4 batches in flight, each tried 3 times (0.2 + 0.4 s of backoff), then the run stops.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.error).toMatch(/not reachable \(ECONNREFUSED\)/);
    expect(result.accepted).toBe(0);
    // The first 4 failures stop it; batches already in flight finish failing: at most 2 rounds of 4, of 20+.
    expect(result.failedBatches).toBeLessThanOrEqual(8);
    expect(events.length / 50).toBeGreaterThan(20);

    // An unusable address fails at once, without the backoff (default 6 tries, ~6 s).
    const before = Date.now();
    const invalid = await sendEvents(events, { endpoint: 'http://::1:8080/v1/events', rate: 100_000 });
    expect(invalid.error).toMatch(/not reachable \(ERR_INVALID_URL\)/);
    expect(Date.now() - before).toBeLessThan(2000);
    expect(invalid.failedBatches).toBeLessThanOrEqual(8);
  });
});

describe('sendEvents: a collector that refuses', () => {
  it('says why, also when too few batches failed to stop the run (a project name or write key the collector refuses)', async () => {
    const { startCollector } = await import('../helpers/collector');
    const collector = await startCollector();
    const keyed = await startCollector({ keys: { 'pk-right': 'shop-web' } });
    try {
      // Three batches, fewer than the four in flight that stop a run early: before, only "failed batches 3".
      const badProject = simulateTraffic({ visitors: 15, seed: 5, now: NOW, project: 'bad name' }).slice(0, 150);
      const refused = await sendEvents(badProject, { endpoint: collector.url, rate: 100_000 });
      expect(refused.accepted).toBe(0);
      expect(refused.failedBatches).toBe(3);
      expect(refused.error).toBeUndefined();
      expect(refused.failure).toMatch(/^the collector answered 400: .*reasons: invalid_project$/);

      const events = simulateTraffic({ visitors: 15, seed: 5, now: NOW }).slice(0, 100);
      const wrongKey = await sendEvents(events, { endpoint: keyed.url, rate: 100_000, headers: { 'x-feedpulse-key': 'pk-wrong' } });
      expect(wrongKey.failedBatches).toBe(2);
      expect(wrongKey.failure).toMatch(/^the collector answered 401: \S/);
    } finally {
      await collector.stop();
      await keyed.stop();
    }
  });
});

describe('npm run simulate (scripts/simulate.mjs)', () => {
  it('an unknown option or stray argument prints one line and the usage, exit 2, no stack trace', async () => {
    const { spawnSync } = await import('node:child_process');
    for (const [args, line] of [[['--bogus', '1'], "simulate: Unknown option '--bogus'"], [['extra'], "simulate: Unexpected argument 'extra'"]] as const) {
      const run = spawnSync(process.execPath, ['scripts/simulate.mjs', ...args], { encoding: 'utf8', timeout: 20_000 });
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr.split('\n')[0]).toBe(line);
      expect(run.stderr).toContain('Usage: npm run simulate -- [options]');
      expect(run.stderr).not.toMatch(/ERR_PARSE_ARGS|\n\s+at /);
    }
  });

  it('a value out of range stops before anything is printed or sent, naming the option', async () => {
    const { spawnSync } = await import('node:child_process');
    // Port 1: nothing listens there, so a run that got past the checks would fail differently (exit 1).
    for (const [args, line] of [
      [['--visitors', '1.5'], '--visitors must be a whole number > 0, got "1.5"'],
      [['--live', '2'], '--live must be a number ≥ 0 and ≤ 1, got "2"'],
      [['--seed', 'abc'], '--seed must be a whole number ≥ 0, got "abc"'],
      [['--days=-1'], '--days must be a number ≥ 0, got "-1"'],
    ] as const) {
      const run = spawnSync(process.execPath, ['scripts/simulate.mjs', '--url', 'http://127.0.0.1:1', ...args], { encoding: 'utf8', timeout: 20_000 });
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr.trim()).toBe(line);
      expect(run.stdout).toBe('');
    }
  });
});
