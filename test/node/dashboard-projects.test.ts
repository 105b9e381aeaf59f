// The dashboard's project filter on the server: /dashboard/view.json and /dashboard/stream take
// ?project=, figures, comments and alerts follow it, every project seen is listed, the per-project
// figures survive a restart (checkpoint), and the number of projects with figures is bounded.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFeedpulseServer, type DashboardView, type FeedpulseServer, type FeedpulseServerOptions } from '../../src/consumer/index';
import { clickEvent, ratingEvent, postEvents, waitFor } from '../helpers/consumer';

describe('dashboard project filter', () => {
  const servers: FeedpulseServer[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  const start = async (dataDir: string, options: FeedpulseServerOptions = {}) => {
    const s = await startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir, collector: { log: false, rateLimit: false }, ...options }, {});
    servers.push(s);
    return s;
  };
  const viewOf = async (s: FeedpulseServer, project?: string) => {
    const res = await fetch(`${s.url}/dashboard/view.json${project === undefined ? '' : `?project=${encodeURIComponent(project)}`}`);
    expect(res.status).toBe(200);
    return (await res.json()) as DashboardView;
  };
  const stars = (v: DashboardView) => v.ratings.find((r) => r.scale === 'stars');

  it('narrows figures, comments and alerts to one project; all by default', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-proj-'));
    dirs.push(dataDir);
    const s = await start(dataDir);
    const shop = [ratingEvent('shop', 5, { comment: 'Lovely shop' }), ratingEvent('shop', 4), clickEvent('shop', 'button.buy')];
    const blog = [ratingEvent('blog', 2, { comment: 'Slow blog' }), ratingEvent('blog', 1, { comment: 'The blog is broken' })];
    await postEvents(`${s.url}/v1/events`, [...shop, ...blog]);
    await waitFor(() => s.consumer!.processed() === 5, 10_000, '5 events counted');

    const all = await viewOf(s);
    expect(all.project).toBeNull();
    expect(all.projects).toEqual(['blog', 'shop']);
    expect(all.processed).toBe(5);
    expect(stars(all)).toMatchObject({ count: 4, average: 3 });
    expect(all.alertCount).toBe(1);

    const shopView = await viewOf(s, 'shop');
    expect(shopView.project).toBe('shop');
    expect(shopView.projects).toEqual(['blog', 'shop']);
    expect(shopView.processed).toBe(3);
    expect(stars(shopView)).toMatchObject({ count: 2, average: 4.5 });
    expect(shopView.comments.map((c) => c.comment)).toEqual(['Lovely shop']);
    expect(shopView.hotSpots.map((h) => h.selector)).toEqual(['button.buy']);
    expect(shopView.alerts).toEqual([]);
    expect(shopView.alertCount).toBe(0);

    const blogView = await viewOf(s, 'blog');
    expect(stars(blogView)).toMatchObject({ count: 2, average: 1.5 });
    expect(blogView.comments.map((c) => c.comment).sort()).toEqual(['Slow blog', 'The blog is broken']);
    expect(blogView.alerts.map((a) => a.project)).toEqual(['blog']);
    expect(blogView.hotSpots).toEqual([]);

    // A project not seen yet: empty figures (a dashboard opened before its first event).
    const unseen = await viewOf(s, 'docs');
    expect(unseen).toMatchObject({ project: 'docs', processed: 0, alertCount: 0, comments: [], ratings: [] });
    // Names the collector would never accept are refused.
    for (const bad of ['a b', '__proto__/x', 'x'.repeat(65)]) {
      expect((await fetch(`${s.url}/dashboard/view.json?project=${encodeURIComponent(bad)}`)).status).toBe(400);
      expect((await fetch(`${s.url}/dashboard/stream?project=${encodeURIComponent(bad)}`)).status).toBe(400);
    }

    // The stream of one project gets that project's views only, also on later pushes.
    const controller = new AbortController();
    const res = await fetch(`${s.url}/dashboard/stream?project=shop`, { signal: controller.signal });
    const reader = res.body!.getReader();
    const views: DashboardView[] = [];
    let buffer = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += new TextDecoder().decode(value);
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').find((l) => l.startsWith('data: '));
          if (data && frame.includes('event: view')) views.push(JSON.parse(data.slice(6)) as DashboardView);
        }
      }
    })().catch(() => undefined);
    await waitFor(() => views.length >= 1, 5000, 'the first frame');
    await postEvents(`${s.url}/v1/events`, [ratingEvent('blog', 1), ratingEvent('shop', 3)]);
    await waitFor(() => views.some((v) => v.processed === 4), 5000, 'a push with the new shop event');
    expect(views.every((v) => v.project === 'shop')).toBe(true);
    expect(stars(views.at(-1)!)).toMatchObject({ count: 3, average: 4 });
    controller.abort();
    await reading;

    // Per-project figures are in the database after a restart (the view reads them once db-figures lands).
    await waitFor(() => s.consumer!.processed() === 7, 5000, '7 counted');
    await s.close();
    const again = await start(dataDir);
    const starsIn = async (project: string) => (await again.db.query<{ count: number; sum: number }>(
      "SELECT sum(count) AS count, sum(sum) AS sum FROM fp_rollups WHERE project = $1 AND metric = 'rating:stars' AND grain = 'day'", [project]))[0]!;
    expect(await starsIn('shop')).toEqual({ count: 3, sum: 12 });
    expect((await starsIn('blog')).count).toBe(3);
    expect((await again.db.query<{ name: string }>('SELECT name FROM fp_projects ORDER BY name')).map((r) => r.name)).toEqual(['blog', 'shop']);
  });

  it('keeps own figures for at most maxProjects projects; the rest count in "all" only', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-proj-'));
    dirs.push(dataDir);
    const s = await start(dataDir, { maxProjects: 3 });
    const events = Array.from({ length: 6 }, (_, i) => ratingEvent(`p${i}`, 4));
    for (const e of events) await postEvents(`${s.url}/v1/events`, [e]); // in order: p0…p2 are the first seen
    await waitFor(() => s.consumer!.processed() === 6, 10_000, '6 counted');
    const all = await viewOf(s);
    expect(all.projects).toEqual(['p0', 'p1', 'p2']);
    expect(stars(all)?.count).toBe(6);
    expect((await viewOf(s, 'p5')).processed).toBe(0);
  });

  it('the token redirect keeps ?project= in the address', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-proj-'));
    dirs.push(dataDir);
    const s = await start(dataDir, { dashboardToken: 's3cret' });
    const res = await fetch(`${s.url}/dashboard?token=s3cret&project=shop`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard?project=shop');
    const bad = await fetch(`${s.url}/dashboard?token=s3cret&project=${encodeURIComponent('//evil.example')}`, { redirect: 'manual' });
    expect(bad.headers.get('location')).toBe('/dashboard');
  });
});
