// The dashboard's figures from the database equal the test's reference model (helpers/memory-view.ts)
// for the same events: simulated traffic of several projects (more than the project cap, one with a
// name the dashboard cannot ask for), delivered out of order in batches, with late and offline
// events, a client clock ahead, duplicates, clicks without text and hostile keys — through the
// reference model and through writeBatch + readFigures, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/consumer/db/database';
import { readFigures, type Figures } from '../../src/consumer/db/figures/index';
import { ALL_PROJECTS } from '../../src/consumer/db/metrics';
import { writeBatch } from '../../src/consumer/db/write';
import { simulateTraffic } from '../../src/consumer/simulate/traffic';
import type { ConsumedEvent } from '../../src/consumer/types';
import { DATABASES, type TestDatabase } from '../helpers/database';
import { referenceFigures } from '../helpers/memory-view';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const MAX_PROJECTS = 3;

/** A fixed order that is not time order: late events arrive after newer ones. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = items.slice();
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function makeEvents(): ConsumedEvent[] {
  const received = (ts: string) => new Date(Math.max(Date.parse(ts), NOW - 90 * 60_000) + 1500).toISOString();
  const traffic = [
    ...simulateTraffic({ visitors: 500, project: 'shop-web', seed: 11, now: NOW }),
    ...simulateTraffic({ visitors: 200, project: 'blog', seed: 12, days: 30, now: NOW }),
    ...simulateTraffic({ visitors: 150, project: 'app', seed: 13, days: 2, now: NOW - 3 * 3600_000 }),
    ...simulateTraffic({ visitors: 80, project: 'beyond-cap', seed: 14, now: NOW }),
    ...simulateTraffic({ visitors: 40, project: 'Not A Project!', seed: 15, now: NOW }),
  ].map((event): ConsumedEvent => ({ ...event, receivedAt: received(event.ts) }));
  const base = { anonymousId: 'anon-x', sessionId: 's-x', page: { url: 'https://shop.example.com/checkout', path: '/checkout', title: 'Checkout', referrer: '' } };
  const extra: ConsumedEvent[] = [
    // Offline for three days: the client's time counts.
    ...Array.from({ length: 30 }, (_, i): ConsumedEvent => ({ ...base, id: `offline-${i}`, project: 'shop-web', type: 'feedback', ts: new Date(NOW - 3 * 86_400_000 + i * 1000).toISOString(), receivedAt: new Date(NOW - 60_000).toISOString(), data: { rating: 1 + (i % 5), scale: 'stars', comment: i % 2 ? 'broken checkout, refund please' : 'great coffee' } })),
    // A client clock an hour ahead: the collector's time counts.
    ...Array.from({ length: 10 }, (_, i): ConsumedEvent => ({ ...base, id: `ahead-${i}`, project: 'blog', type: 'feedback', ts: new Date(NOW + 3600_000).toISOString(), receivedAt: new Date(NOW - 30_000 - i).toISOString(), data: { rating: i % 11, scale: 'nps', comment: 'slow slow page' } })),
    // Hostile keys and a click without text.
    { ...base, id: 'proto-click', project: 'app', type: 'click', ts: new Date(NOW - 5000).toISOString(), receivedAt: new Date(NOW).toISOString(), page: { ...base.page, path: '__proto__' }, data: { selector: 'constructor', tag: 'button' } },
    { ...base, id: 'proto-feedback', project: 'app', type: 'feedback', ts: new Date(NOW - 4000).toISOString(), receivedAt: new Date(NOW).toISOString(), page: { ...base.page, path: '__proto__' }, data: { rating: 1, scale: 'emoji', comment: '__proto__ constructor toString broken broken' } },
  ];
  const all = shuffled([...traffic, ...extra], 7);
  // Resent later (at-least-once delivery): counted once.
  return [...all, ...all.filter((_, i) => i % 97 === 0)];
}

/** Numbers to 9 significant digits: sums of fractions added in another order may differ in the last bit. */
const rounded = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(9)) : v)));

describe('the dashboard figures from the database equal the reference model', () => {
  const events = makeEvents();
  const reference = referenceFigures(events, MAX_PROJECTS);
  const projects = reference.projects;
  const expected = (project: string) =>
    rounded(project === ALL_PROJECTS ? reference.all : projects.get(project) ?? reference.empty);

  it('uses enough events to mean something', () => {
    expect(reference.counted).toBeGreaterThan(4000);
    expect(events.length - reference.counted).toBeGreaterThan(40);
    expect(projects.size).toBe(MAX_PROJECTS);
    expect(projects.has('Not A Project!')).toBe(false);
    expect(reference.comments).toBeGreaterThan(reference.all.comments.length);
    // Same-time comments exist, so their order is tested too.
    expect(new Set(reference.all.comments.map((c) => c.at)).size).toBeLessThan(reference.all.comments.length);
    // Every part of the figures has something in it.
    const { all } = reference;
    expect(all.ratings.map((r) => r.scale).sort()).toEqual(['emoji', 'nps', 'stars', 'thumbs']);
    expect(Math.min(all.nps.total, all.csat.total, all.sentiment.count, all.negativeWords.comments)).toBeGreaterThan(0);
    expect(all.negativeWords.phrases.length).toBeGreaterThan(0);
    expect(all.worstPages.length).toBeGreaterThan(0);
    expect(all.hotSpots.some((s) => s.text === undefined)).toBe(true);
  });

  describe.each(DATABASES)('on the $name database', (kind) => {
    let test: TestDatabase;
    let db: Database;
    beforeAll(async () => {
      test = await kind.create('fptest_figures');
      db = await test.open();
      for (let i = 0; i < events.length; i += 250) {
        await db.transaction((tx) => writeBatch(tx, events.slice(i, i + 250), { maxProjects: MAX_PROJECTS }));
      }
    }, 120_000);
    afterAll(async () => { await db?.close(); await test?.cleanup(); });

    const figuresOf = async (project: string | null) => {
      const { projects: listed, ...figures } = await readFigures(db, project);
      return { listed, figures: rounded(figures) as Omit<Figures, 'projects'> };
    };

    const withFigures = [...projects.keys()].sort();
    it.each([ALL_PROJECTS, ...withFigures])('project "%s": identical figures', async (project) => {
      const { listed, figures } = await figuresOf(project);
      expect(listed).toEqual(withFigures);
      expect(figures).toEqual(expected(project));
    });

    it('a project beyond the cap, or never seen, has empty figures as before', async () => {
      const beyond = ['shop-web', 'blog', 'app', 'beyond-cap'].filter((p) => !projects.has(p));
      expect(beyond).toHaveLength(1);
      for (const project of [...beyond, 'never-seen']) {
        const { figures } = await figuresOf(project);
        const empty = expected(project) as Figures;
        // Without any minute of data the hour shown ends at the current minute (the state's ended at 1970).
        expect({ ...figures, volume: { ...figures.volume, perMinute: [] } }).toEqual({ ...empty, volume: { ...empty.volume, perMinute: [] } });
        expect(figures.volume.perMinute).toHaveLength(60);
        expect(figures.volume.perMinute.every((m) => m.count === 0)).toBe(true);
      }
      const unseen = await figuresOf(null);
      expect(unseen.figures.volume.total).toBe(0);
      expect(unseen.listed).toEqual(withFigures);
    });
  });
});
