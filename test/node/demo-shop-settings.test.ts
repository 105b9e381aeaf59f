// FEEDPULSE_ORIGINS or FEEDPULSE_KEYS used to stop the demo shop on the same server from posting,
// with nothing said at start: the server now lists what refuses the shop in `warnings` (the server
// command prints them), and the shop takes a write key from its address (/?key=…).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFeedpulseServer } from '../../src/consumer/index';
import { demoShopWarnings } from '../../src/consumer/demo-shop';
import { ratingEvent } from '../helpers/consumer';

describe('demo shop and the collector settings', () => {
  const dirs: string[] = [];
  afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

  async function start(env: NodeJS.ProcessEnv) {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-shop-'));
    dirs.push(dataDir);
    return startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir, collector: { log: false, rateLimit: false } }, env);
  }

  it('says nothing when the shop can post, and why it cannot when it is refused', async () => {
    const open = await start({});
    try { expect(open.warnings).toEqual([]); } finally { await open.close(); }

    const guarded = await start({ FEEDPULSE_ORIGINS: 'https://shop.example', FEEDPULSE_KEYS: 'pk_1:shop-web' });
    try {
      expect(guarded.warnings).toHaveLength(2);
      expect(guarded.warnings[0]).toContain(`FEEDPULSE_ORIGINS does not list ${guarded.url}`);
      expect(guarded.warnings[1]).toContain('FEEDPULSE_KEYS has no key for project demo-shop');
      // What the warnings describe is what the collector does to the shop's post.
      const shopPost = (origin: string, key?: string) => fetch(`${guarded.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin, ...(key ? { 'x-feedpulse-key': key } : {}) },
        body: JSON.stringify({ v: 1, sentAt: new Date().toISOString(), events: [ratingEvent('demo-shop', 5)] }),
      });
      expect((await shopPost(guarded.url)).status).toBe(403);
      expect((await shopPost('https://shop.example')).status).toBe(401);
    } finally { await guarded.close(); }
  });

  it('names the key to open the shop with, and the public origin it is opened from', () => {
    expect(demoShopWarnings({ allowedOrigins: ['https://feedback.example'], keys: { demo: ['demo-shop'] } }, ['https://feedback.example']))
      .toEqual(['FEEDPULSE_KEYS is set: open the demo shop as /?key=demo so its ratings carry the key.']);
    expect(demoShopWarnings({ allowedOrigins: ['https://shop.example'], keys: undefined }, ['https://feedback.example'])[0])
      .toContain('does not list https://feedback.example');
  });

  it('FEEDPULSE_PUBLIC_URL that is not an http(s) URL stops the start with its name', async () => {
    await expect(start({ FEEDPULSE_PUBLIC_URL: 'feedback.example.com' })).rejects.toThrow('FEEDPULSE_PUBLIC_URL');
  });
});
