// createClient wiring in Chromium: the event shape, consent, sampling, beforeSend, the PII
// scrubber, pageviews on SPA route changes, click autocapture, identify, shutdown, and that
// nothing throws into the page.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium } from '../helpers/browser';
import { coreBuilt, openClient, postedEvents, startRig, type Rig } from '../helpers/core';
import { waitFor } from '../helpers/wait';
import type { FeedpulseClient, FeedpulseEvent } from '../../src/core/types';

type Win = Window & { fp: FeedpulseClient; fpLog: { name: string }[]; fpStart(c: unknown): void };
const skip = !hasChromium ? 'no Chromium' : !coreBuilt ? 'dist/core.js missing: run npm run build' : '';
const fp = <T>(page: Page, f: (c: FeedpulseClient) => T | Promise<T>) =>
  page.evaluate(`(${f.toString()})(window.fp)`) as Promise<T>;
const readStore = (page: Page) => page.evaluate(() => new Promise<number>((res) => {
  const r = indexedDB.open('feedpulse');
  r.onsuccess = () => {
    const db = r.result;
    if (!db.objectStoreNames.contains('outbox')) return res(0);
    const c = db.transaction('outbox').objectStore('outbox').count();
    c.onsuccess = () => { db.close(); res(c.result); };
  };
}));

describe.skipIf(skip)('createClient in Chromium', () => {
  let rig: Rig;
  beforeEach(async () => { rig = await startRig(); });
  afterEach(async () => { await rig.close(); });

  it('builds events of the wire format, with sentAt on the batch and one stable id each', async () => {
    const page = await openClient(rig);
    await fp(page, async (c) => {
      await c.identify('u-42', { plan: 'pro' });
      await c.track('signup', { step: 2 });
      await c.feedback({ rating: 4, scale: 'stars', comment: 'Fast checkout', tags: ['speed'] });
      return c.flush();
    });
    const [identify, track, feedback] = postedEvents(rig.ep.received);
    const anon = identify.anonymousId;
    for (const e of [identify, track, feedback]) {
      expect(e.id).toMatch(/^[\w-]{21}$/);
      expect(e).toMatchObject({ project: 'core-test', anonymousId: anon, userId: 'u-42', page: { path: '/core.html', url: rig.ep.origin + '/core.html', title: 'core test' } });
      expect(Date.parse(e.ts)).toBeGreaterThan(Date.now() - 60000);
    }
    expect(identify).toMatchObject({ type: 'identify', data: { traits: { plan: 'pro' } } });
    expect(track).toMatchObject({ type: 'track', data: { name: 'signup', props: { step: 2 } } });
    expect(feedback).toMatchObject({ type: 'feedback', data: { rating: 4, scale: 'stars', comment: 'Fast checkout', tags: ['speed'] } });
    expect((rig.ep.received[0].json as { v: number; sentAt: string })).toMatchObject({ v: 1, sentAt: expect.stringMatching(/Z$/) });
    expect(rig.ep.received[0].headers['content-type']).toBe('application/json');
  });

  it('identify() is remembered per project across page loads', async () => {
    const page = await openClient(rig);
    await fp(page, async (c) => { await c.identify('u-42'); return c.flush(); });
    // A later page load of the same project: no identify() call, the stored id is sent.
    await openClient(rig, {}, page);
    await fp(page, async (c) => { await c.track('after-reload'); return c.flush(); });
    // Another project on the same origin was never identified.
    await openClient(rig, { project: 'core-other' }, page);
    await fp(page, async (c) => { await c.track('other-project'); return c.flush(); });
    const events = postedEvents(rig.ep.received);
    expect(events.map((e) => [e.type === 'track' ? e.data.name : e.type, e.userId])).toEqual([
      ['identify', 'u-42'], ['after-reload', 'u-42'], ['other-project', undefined],
    ]);
    expect(events[1].anonymousId).toBe(events[0].anonymousId);
  });

  it('consent pending: nothing stored or sent; granted: starts (pageview included)', async () => {
    const page = await openClient(rig, { consent: 'pending', pageviews: true });
    await fp(page, (c) => Promise.all([c.track('before-consent'), c.feedback({ rating: 1, scale: 'stars' }), c.identify('u-pending')]));
    expect(await fp(page, (c) => c.flush())).toEqual({ sent: 0, pending: 0 });
    expect(await readStore(page)).toBe(0);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('fp')))).toEqual([]);
    await page.waitForTimeout(200);
    expect(rig.ep.received).toHaveLength(0);
    await fp(page, (c) => { c.setConsent('granted'); return c.track('after-consent'); });
    await fp(page, (c) => c.flush());
    expect(postedEvents(rig.ep.received).map((e) => e.type === 'track' ? e.data.name : e.type)).toEqual(['pageview', 'after-consent']);
    // identify() while pending set the id for this page; it is stored only once consent is granted.
    expect(postedEvents(rig.ep.received).map((e) => e.userId)).toEqual(['u-pending', 'u-pending']);
    expect(await page.evaluate(() => localStorage.getItem('fp_uid_core-test'))).toBe('u-pending');
  });

  it('sampleRate 0 drops tracks and clicks but never feedback', async () => {
    const page = await openClient(rig, { sampleRate: 0 });
    await fp(page, (c) => Promise.all([c.track('sampled-out'), c.feedback({ rating: 5, scale: 'stars' })]));
    await fp(page, (c) => c.flush());
    expect(postedEvents(rig.ep.received).map((e) => e.type)).toEqual(['feedback']);
  });

  /** The test page without a client (one per project and page: the test starts its own). */
  async function openPage(page?: Page) {
    page ??= await rig.context.newPage();
    await page.goto(rig.ep.origin + '/core.html');
    await page.waitForFunction(() => (window as unknown as { fpReady?: boolean }).fpReady);
    return page;
  }

  it('beforeSend edits, drops (null) and survives its own exceptions; PII is scrubbed before it', async () => {
    const page = await openPage();
    await page.evaluate(() => {
      const w = window as unknown as Win;
      w.fpStart({
        endpoint: location.origin + '/v1/events', project: 'core-test', pageviews: false, autocapture: 'off', flushInterval: 50,
        beforeSend(e: FeedpulseEvent) {
          if (e.type === 'track' && e.data.name === 'drop-me') return null;
          if (e.type === 'track' && e.data.name === 'throw') throw new Error('hook bug');
          if (e.type === 'feedback') e.data.tags = ['edited'];
          return e;
        },
      });
    });
    await fp(page, (c) => Promise.all([
      c.track('drop-me'), c.track('throw'),
      c.feedback({ rating: 2, scale: 'stars', comment: 'mail me at jane.doe@example.com or +44 20 7946 0958' }),
      c.track('props', { contact: 'jane.doe@example.com', card: '4111 1111 1111 1111' }),
    ]));
    await fp(page, (c) => c.flush());
    const events = postedEvents(rig.ep.received);
    expect(events.map((e) => e.type === 'track' ? e.data.name : e.type)).toEqual(['throw', 'feedback', 'props']);
    const feedback = events[1] as Extract<FeedpulseEvent, { type: 'feedback' }>;
    expect(feedback.data).toMatchObject({ tags: ['edited'], comment: 'mail me at [email] or [phone]' });
    expect((events[2] as Extract<FeedpulseEvent, { type: 'track' }>).data.props).toEqual({ contact: '[email]', card: '[card]' });
    expect((await page.evaluate(() => (window as unknown as Win).fpLog)).filter((l) => l.name === 'error')).toHaveLength(1);
  });

  it('beforeSend returning something else than an event or null (a number, a Promise): the event is kept as it was, with a warning; IndexedDB stays in use', async () => {
    const page = await rig.context.newPage();
    const warnings: string[] = [];
    page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
    await openPage(page);
    await page.evaluate(() => {
      (window as unknown as Win).fpStart({
        endpoint: location.origin + '/v1/events', project: 'core-test', pageviews: false, autocapture: 'off', flushInterval: 60000,
        beforeSend(e: FeedpulseEvent) {
          if (e.type === 'track' && e.data.name === 'number') return 42;
          if (e.type === 'track' && e.data.name === 'async') return Promise.resolve(e);
          return e;
        },
      });
    });
    await page.waitForTimeout(300); // the new client's start-up send has run
    await fp(page, (c) => Promise.all([c.track('before'), c.track('number'), c.track('async'), c.track('after')]));
    expect(await fp(page, (c) => c.status())).toMatchObject({ storage: 'indexeddb' });
    // Whichever send takes them (flush, or a start-up send that was slow to get the lock), all four go.
    expect(await fp(page, (c) => c.flush())).toMatchObject({ pending: 0 });
    expect(postedEvents(rig.ep.received).map((e) => (e.type === 'track' ? e.data.name : e.type))).toEqual(['before', 'number', 'async', 'after']);
    expect(warnings).toEqual(Array(2).fill('feedpulse: beforeSend returned no event; kept it as it was'));
    expect(await readStore(page)).toBe(0); // delivered events left IndexedDB: nothing to send twice on the next visit
  });

  it('wrong feedback() and track() calls: a console warning naming the value, an error event, nothing stored; the good call beside them is delivered', async () => {
    const page = await openClient(rig, { flushInterval: 60000 });
    const warnings: string[] = [];
    page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
    const results = await page.evaluate(() => {
      const c = (window as unknown as Win).fp as unknown as { feedback(x: unknown): Promise<void>; track(n: unknown): Promise<void> };
      return Promise.all([
        c.feedback({ rating: 9, scale: 'stars' }), c.feedback({ rating: 4, scale: 'star' }), c.feedback({ rating: '4', scale: 'stars' }),
        c.feedback({ rating: 7.5, scale: 'nps' }), c.feedback(undefined), c.track(''),
        c.feedback({ rating: 0, scale: 'thumbs', comment: 'kept' }),
      ]);
    });
    expect(results).toEqual(Array(7).fill(undefined)); // all resolved, none rejected
    await waitFor(() => warnings.length >= 6, 5000, 'six warnings');
    expect(warnings).toEqual([
      'feedpulse: feedback: rating 9 is not on the stars scale',
      'feedpulse: feedback: rating 4 is not on the star scale',
      'feedpulse: feedback: rating "4" is not on the stars scale', // a string
      'feedpulse: feedback: rating 7.5 is not on the nps scale',
      expect.stringMatching(/^feedpulse: Cannot destructure/),
      'feedpulse: track: no name',
    ]);
    const errors = (await page.evaluate(() => (window as unknown as Win).fpLog)).filter((l) => l.name === 'error');
    expect(errors).toHaveLength(6);
    // The start-up send may already have taken the good event; either way it arrives, alone, once.
    expect(await fp(page, (c) => c.flush())).toMatchObject({ pending: 0 });
    await waitFor(() => postedEvents(rig.ep.received).length >= 1, 5000, 'the good feedback');
    await page.waitForTimeout(300);
    expect(postedEvents(rig.ep.received).map((e) => e.data)).toEqual([{ rating: 0, scale: 'thumbs', comment: 'kept' }]);
    expect(await readStore(page)).toBe(0);
  });

  it('pageview on load and on SPA route changes; clicks autocaptured; shutdown detaches both', async () => {
    const page = await openClient(rig, { pageviews: true, autocapture: 'clicks' });
    await page.evaluate(() => {
      document.body.insertAdjacentHTML('beforeend', '<button id="buy">Buy now</button>');
      history.pushState({}, '', '/checkout');
    });
    await page.click('#buy');
    await waitFor(() => postedEvents(rig.ep.received).length >= 3, 5000, 'pageviews and click');
    const events = postedEvents(rig.ep.received);
    expect(events.map((e) => e.type)).toEqual(['pageview', 'pageview', 'click']);
    expect(events[1].page.path).toBe('/checkout');
    expect(events[2].data).toMatchObject({ tag: 'button', text: 'Buy now', selector: '#buy' });
    await fp(page, (c) => c.shutdown());
    await page.evaluate(() => history.pushState({}, '', '/after'));
    await page.click('#buy');
    expect(await fp(page, (c) => c.track('after-shutdown').then(() => c.flush()))).toEqual({ sent: 0, pending: 0 });
    await page.waitForTimeout(300);
    expect(postedEvents(rig.ep.received)).toHaveLength(3);
  });

  it('IndexedDB that cannot open: one warning, events kept in memory and still delivered', async () => {
    const page = await rig.context.newPage();
    await page.addInitScript(() => {
      IDBFactory.prototype.open = () => { throw new DOMException('The user denied permission to access the database.', 'InvalidStateError'); };
    });
    const warnings: string[] = [];
    page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
    await openClient(rig, { flushInterval: 60000 }, page); // only flush() sends
    const outcome = await page.evaluate(async () => {
      const c = (window as unknown as Win).fp;
      const stored = await Promise.all([c.track('mem-1'), c.feedback({ rating: 5, scale: 'stars' })]);
      return { stored, status: c.status(), flushed: await c.flush() };
    });
    expect(outcome.stored).toEqual([undefined, undefined]);
    expect(outcome.status).toMatchObject({ storage: 'memory', pending: 2 });
    expect(outcome.flushed).toEqual({ sent: 2, pending: 0 });
    expect(warnings.filter((w) => /IndexedDB/.test(w))).toHaveLength(1);
    expect(postedEvents(rig.ep.received).map((e) => e.type)).toEqual(['track', 'feedback']);
  });

  it('never throws into the page: bad input, a missing endpoint, circular props', async () => {
    // Only flush() sends (a timer's send between the awaited calls would make flush() count fewer).
    const page = await openClient(rig, { flushInterval: 60000 });
    await page.waitForTimeout(200); // the start-up send has run
    const warnings: string[] = [];
    page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
    const outcome = await page.evaluate(async () => {
      const w = window as unknown as Win & { fpCreate?: unknown };
      const circular: Record<string, unknown> = { a: 1 };
      circular.self = circular;
      const results: unknown[] = [];
      results.push(await w.fp.track('circular', circular));
      results.push(await w.fp.track('bigint', { n: BigInt(1) }));
      results.push(await w.fp.track('fn', { f: () => 1, ok: 'yes' }));
      results.push(await (w.fp.track as unknown as (...a: unknown[]) => Promise<void>)());
      results.push(await (w.fp.feedback as unknown as (x: unknown) => Promise<void>)(null));
      results.push(await (w.fp.identify as unknown as (x: unknown) => Promise<void>)(undefined));
      w.fp.on('sent', () => { throw new Error('host handler bug'); });
      results.push(await w.fp.flush());
      w.fpStart({ project: 'no-endpoint' });
      results.push(await w.fp.track('x'), await w.fp.flush(), w.fp.status().pending);
      return results;
    });
    expect(outcome.slice(-2)).toEqual([{ sent: 0, pending: 0 }, 0]);
    // The first flush delivered what could be serialised; BigInt props were refused at track().
    const names = postedEvents(rig.ep.received).map((e) => (e.type === 'track' ? e.data.name : e.type));
    expect(names).toEqual(['circular', 'fn']);
    expect(postedEvents(rig.ep.received)[1].data).toEqual({ name: 'fn', props: { ok: 'yes' } });
    expect(outcome[6]).toMatchObject({ sent: 2, pending: 0 });
    expect(warnings.some((w) => /endpoint/.test(w))).toBe(true);
  });
});
