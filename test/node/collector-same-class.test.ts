// Text from requests and settings is data, never an object key: key names, project names, origins
// and rate-limit buckets named like Object.prototype members behave like any other name.
import { describe, it, expect } from 'vitest';
import { resolveOptions } from '../../src/collector/options.js';
import { createKeyCheck, parseKeysEnv } from '../../src/collector/keys.js';
import type { IncomingMessage } from 'node:http';
import { batchOf, feedbackEvent } from '../helpers/events';
import { post, startCollector } from '../helpers/collector';

const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
const request = (key: string) => ({ headers: { 'x-feedpulse-key': key } }) as unknown as IncomingMessage;
const noUrl = new URL('http://x/v1/events');

describe('write keys named like Object.prototype members', () => {
  it('FEEDPULSE_KEYS: each is a key like any other', () => {
    const keys = parseKeysEnv(NAMES.map((name, i) => `${name}:shop-${i}`).join(','));
    const check = createKeyCheck(keys);
    NAMES.forEach((name, i) => {
      const result = check(request(name), noUrl);
      expect(result.ok, name).toBe(true);
      expect(result.ok && [...(result.projects ?? [])]).toEqual([`shop-${i}`]);
    });
    expect(Object.getPrototypeOf(keys)).toBe(null);
  });

  it('the keys option (an object from JSON, with own __proto__) works the same', () => {
    const keys = JSON.parse('{"__proto__":"shop-web","toString":["blog"]}') as Record<string, string | string[]>;
    const resolved = resolveOptions({ keys }, {});
    const check = createKeyCheck(resolved.keys);
    expect(check(request('__proto__'), noUrl)).toMatchObject({ ok: true });
    expect(check(request('toString'), noUrl)).toMatchObject({ ok: true });
    expect(check(request('constructor'), noUrl)).toEqual({ ok: false });
  });

  it('with ordinary keys configured, a request key named like a prototype member is unknown (401)', async () => {
    const r = await startCollector({ keys: { pk_shop: 'shop-web' } });
    try {
      for (const name of NAMES) expect((await post(r.url, batchOf([feedbackEvent('shop-web')]), { 'x-feedpulse-key': name })).status, name).toBe(401);
    } finally {
      await r.stop();
    }
  });
});

describe('projects and origins named like Object.prototype members', () => {
  it('toString / hasOwnProperty / valueOf are projects with their own rate-limit buckets; an Origin named so is refused', async () => {
    const r = await startCollector({ rateLimit: { perSecond: 0.01, burst: 2 }, keys: { k1: ['toString', 'hasOwnProperty'], k2: ['toString', 'valueOf'] }, allowedOrigins: ['https://shop.example'] });
    try {
      const send = (key: string, project: string, origin = 'https://shop.example') => post(r.url, batchOf([feedbackEvent(project)]), { 'x-feedpulse-key': key, origin });
      expect((await send('k1', 'toString')).json).toMatchObject({ accepted: 1 });
      expect((await send('k1', 'hasOwnProperty')).json).toMatchObject({ accepted: 1 });
      expect((await send('k1', 'toString')).status).toBe(429); // k1's own bucket is empty
      expect((await send('k2', 'valueOf')).json).toMatchObject({ accepted: 1 });
      expect((await send('k2', 'toString')).json).toMatchObject({ accepted: 1 }); // toString's last token
      expect((await send('k1', 'hasOwnProperty')).status).toBe(429); // k1's sender bucket is empty
      // Refused on its origin before any bucket is charged.
      for (const origin of ['constructor', '__proto__', 'null']) expect((await send('k2', 'valueOf', origin)).status, origin).toBe(403);
    } finally {
      await r.stop();
    }
  });
});
