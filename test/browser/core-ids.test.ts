// The visitor's ids are read from web storage off page load (when the browser is idle, or when
// something needs them first), and no event made before that is lost: it is kept and sent with the
// ids of a returning visitor, in order, also when the page goes away before the read.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium } from '../helpers/browser';
import { coreBuilt, postedEvents, startRig, type Rig } from '../helpers/core';
import { waitFor } from '../helpers/wait';
import type { FeedpulseEvent } from '../../src/core/types';

const skip = !hasChromium ? 'no Chromium' : !coreBuilt ? 'dist/core.js missing: run npm run build' : '';
type Win = Window & { storageReads: number; readsAtStart: number; readsAfterCalls: number; fp: import('../../src/core/types').FeedpulseClient };
const names = (events: FeedpulseEvent[]) => events.map((e) => (e.type === 'track' ? e.data.name : e.type));

describe.skipIf(skip)('ids read off page load (Chromium)', () => {
  let rig: Rig;
  beforeEach(async () => { rig = await startRig(); });
  afterEach(async () => { await rig.close(); });

  /** A returning visitor's page: ids stored by an earlier visit; every web storage read counted. */
  async function returningVisitor(project: string, script: string): Promise<Page> {
    const page = await rig.context.newPage();
    await page.goto(rig.ep.origin + '/elsewhere.html');
    await page.evaluate((p) => {
      localStorage.setItem(`fp_aid_${p}`, 'anon-from-last-visit');
      localStorage.setItem(`fp_uid_${p}`, 'user-from-last-visit');
      sessionStorage.setItem(`fp_sid_${p}`, `session-of-this-tab ${Date.now()}`);
    }, project);
    await page.addInitScript(() => {
      const w = window as unknown as Win;
      w.storageReads = 0;
      const getItem = Storage.prototype.getItem;
      Storage.prototype.getItem = function (key: string) {
        if (key.startsWith('fp_')) w.storageReads++;
        return getItem.call(this, key);
      };
    });
    const path = `/ids-${project}.html`;
    rig.ep.page(path, `<!doctype html><title>ids</title><script type="module">
      import { createClient } from '/dist/core.js';
      const w = window;
      w.fp = createClient({ endpoint: ${JSON.stringify(rig.ep.url)}, project: ${JSON.stringify(project)}, autocapture: 'off', flushInterval: 60000 });
      w.readsAtStart = w.storageReads;
      ${script}
      w.readsAfterCalls = w.storageReads;
      w.ready = true;
    </script>`);
    await page.goto(rig.ep.origin + path);
    return page;
  }

  it('start-up reads no id; the pageview and a track made at once are sent with the stored ids, in order', async () => {
    const page = await returningVisitor('ids-idle', `w.fp.track('at-once', { step: 1 });`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready);
    const counts = await page.evaluate(() => { const w = window as unknown as Win; return [w.readsAtStart, w.readsAfterCalls]; });
    expect(counts).toEqual([0, 0]); // nothing read during the script's own task
    await page.waitForFunction(() => (window as unknown as Win).storageReads > 0, null, { timeout: 5000 }); // read when idle
    // The start-up send (of what earlier visits left) may take them if it reads the outbox after the ids were read.
    expect(await page.evaluate(() => (window as unknown as Win).fp.flush())).toMatchObject({ pending: 0 });
    await waitFor(() => postedEvents(rig.ep.received).length >= 2, 5000, 'both events');
    const events = postedEvents(rig.ep.received);
    expect(names(events)).toEqual(['pageview', 'at-once']);
    for (const e of events) {
      expect(e).toMatchObject({ anonymousId: 'anon-from-last-visit', userId: 'user-from-last-visit', sessionId: 'session-of-this-tab' });
    }
    expect(events[1].data).toEqual({ name: 'at-once', props: { step: 1 } });
  });

  it('the page goes away before the ids are read: the events go out on the way out, with the stored ids', async () => {
    // Same task as the calls: navigate away, so pagehide comes before any idle time.
    const page = await returningVisitor('ids-leave', `const props = { step: 1 };
      w.fp.track('before-leaving', props);
      props.step = 2; // changed after the call: the event keeps what it was made with
      location.href = '/elsewhere.html';`);
    await waitFor(() => postedEvents(rig.ep.received).length >= 2, 10000, 'the page-leave send');
    const events = postedEvents(rig.ep.received);
    expect(names(events)).toEqual(['pageview', 'before-leaving']);
    expect(events[1].data).toEqual({ name: 'before-leaving', props: { step: 1 } });
    for (const e of events) expect(e).toMatchObject({ anonymousId: 'anon-from-last-visit', userId: 'user-from-last-visit', sessionId: 'session-of-this-tab' });
    expect(rig.ep.received[0].headers['content-type']).toMatch(/^text\/plain/); // the keepalive send
    await page.close();
  });

  it('identify() before the read: earlier events keep the stored user id, later ones get the new one; status() counts them all', async () => {
    const page = await returningVisitor('ids-identify', `w.fp.track('before-identify');
      w.pendingAtOnce = w.fp.status().pending;
      w.fp.identify('user-now');
      w.fp.track('after-identify');`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready);
    expect(await page.evaluate(() => (window as unknown as { pendingAtOnce: number }).pendingAtOnce)).toBe(2); // pageview and track
    expect(await page.evaluate(() => (window as unknown as Win).fp.flush())).toMatchObject({ pending: 0 });
    await waitFor(() => postedEvents(rig.ep.received).length >= 4, 5000, 'four events');
    const events = postedEvents(rig.ep.received);
    expect(events.map((e) => [names([e])[0], e.userId])).toEqual([
      ['pageview', 'user-from-last-visit'], ['before-identify', 'user-from-last-visit'], ['identify', 'user-now'], ['after-identify', 'user-now'],
    ]);
    expect(new Set(events.map((e) => e.anonymousId))).toEqual(new Set(['anon-from-last-visit']));
  });
});
