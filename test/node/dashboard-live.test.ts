// Live pushes: one view built per push and view key, however many streams share it; the newest
// view is reused for new streams until something changes; and with many streams the pushes space
// out so the stream writes per second stay bounded.
import { describe, expect, it } from 'vitest';
import { createLiveUpdates } from '../../src/consumer/dashboard/live';
import type { SseHub } from '../../src/consumer/dashboard/sse';
import { waitFor } from '../helpers/consumer';

/** A hub with `streams` made-up stream keys that records what each push sends. */
function fakeHub(keys: string[]) {
  const pushes: { at: number; sent: unknown[] }[] = [];
  const hub: SseHub = {
    refuse: () => undefined, add: () => undefined, size: () => keys.length, close: () => undefined, keys: () => new Set(keys),
    broadcast(_event, dataFor) { pushes.push({ at: Date.now(), sent: keys.map(dataFor) }); },
  };
  return { hub, pushes };
}

describe('live updates', () => {
  it('builds one view per view key and push, shared by every stream mapped to it', async () => {
    const keys = ['', 'shop', ...Array.from({ length: 300 }, (_, i) => `made-up-${i}`)];
    const { hub, pushes } = fakeHub(keys);
    const built: string[] = [];
    const live = createLiveUpdates(hub, async (key) => { built.push(key); return { key }; }, {
      keyOf: () => (key) => (key === '' || key === 'shop' ? key : 'unseen'),
    });
    live.changed();
    await waitFor(() => pushes.length === 1);
    expect(built.sort()).toEqual(['', 'shop', 'unseen']);
    expect(new Set(pushes[0].sent.slice(2)).size).toBe(1); // one object for all 300 made-up names
    // New streams get the same objects until the next change.
    expect(await live.current('made-up-999')).toBe(pushes[0].sent[2]);
    expect(built).toHaveLength(3);
    live.close();
  });

  it('spaces pushes out with many streams: at most writesPerSecond stream writes a second', async () => {
    const { hub, pushes } = fakeHub(Array.from({ length: 100 }, (_, i) => `p${i}`));
    const live = createLiveUpdates(hub, async () => ({}), { minIntervalMs: 10, writesPerSecond: 500 });
    live.changed();
    live.changed(); // within the interval: waits for its end (100 streams / 500 per s = 200 ms)
    await new Promise((r) => setTimeout(r, 120));
    expect(pushes).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(pushes).toHaveLength(2);
    expect(pushes[1].at - pushes[0].at).toBeGreaterThanOrEqual(190);
    live.close();
  });

  it('sends a frame only to the streams of the view keys that changed, and rebuilds only those', async () => {
    const { hub, pushes } = fakeHub(['', 'shop', 'blog']);
    const built: string[] = [];
    let version = 0;
    const live = createLiveUpdates(hub, async (key) => { built.push(key); return { key, version }; }, { minIntervalMs: 10 });
    version = 1;
    live.changed(['shop']);
    await waitFor(() => pushes.length === 1);
    // '' (all projects) changes with every project.
    expect(built.sort()).toEqual(['', 'shop']);
    expect(pushes[0].sent).toEqual([{ key: '', version: 1 }, { key: 'shop', version: 1 }, undefined]);
    version = 2;
    live.changed();
    await waitFor(() => pushes.length === 2);
    expect(pushes[1].sent).toEqual([{ key: '', version: 2 }, { key: 'shop', version: 2 }, { key: 'blog', version: 2 }]);
    live.close();
  });

  it('retries a push whose view could not be read', async () => {
    const { hub, pushes } = fakeHub(['']);
    let fail = true;
    const errors: string[] = [];
    const live = createLiveUpdates(hub, async () => { if (fail) throw new Error('database away'); return { ok: true }; }, {
      minIntervalMs: 20, onError: (err) => errors.push(err.message),
    });
    live.changed(['']);
    await waitFor(() => errors.length > 0);
    fail = false;
    await waitFor(() => pushes.length === 1, 2000);
    expect(pushes[0].sent).toEqual([{ ok: true }]);
    expect(errors[0]).toBe('database away');
    live.close();
  });
});
