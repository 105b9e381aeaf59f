// The rate limit cannot be escaped by the body (a decoy first event, many projects) or by headers a
// client chooses (X-Forwarded-For), and it answers before the body is read.
import { describe, it, expect } from 'vitest';
import { request as httpRequest } from 'node:http';
import { createRateLimiter } from '../../src/collector/rate-limit.js';
import { batchOf, feedbackEvent } from '../helpers/events';
import { post, startCollector } from '../helpers/collector';

// One token per 100 s: no refill can happen during a test, however slow the machine.
const SLOW = { perSecond: 0.01, burst: 3 };

describe('rate limit: no choice of body escapes it', () => {
  it('a decoy first event (its own project, valid or not) does not buy a fresh bucket', async () => {
    const r = await startCollector({ rateLimit: SLOW });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        // Half the decoys are invalid events, half valid ones of made-up projects.
        const decoy = i % 2 ? { project: `decoy-${i}`, id: 'x' } : feedbackEvent(`decoy-${i}`);
        statuses.push((await post(r.url, batchOf([decoy, feedbackEvent('shop-web'), feedbackEvent('shop-web')]))).status);
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(3);
      expect(statuses.slice(3)).toEqual([429, 429, 429, 429, 429]);
    } finally {
      await r.stop();
    }
  });

  it('answers 429 before the body is read: a body that never arrives is not waited for', async () => {
    const r = await startCollector({ rateLimit: SLOW, bodyTimeoutMs: 20_000 });
    try {
      for (let i = 0; i < 3; i++) expect((await post(r.url, batchOf([feedbackEvent('shop-web')]))).status).toBe(200);
      const started = Date.now();
      const answer = await new Promise<{ status: number; body: string; connection?: string }>((resolve, reject) => {
        const req = httpRequest(r.url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '1000' } }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
        });
        req.on('error', reject);
        req.write('{"v":1,'); // and nothing more
      });
      expect(answer.status).toBe(429);
      expect(answer.connection).toBe('close');
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'rate_limited' });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await r.stop();
    }
  });

  it('every project in a batch is charged: two keys of one project share its bucket', async () => {
    const r = await startCollector({ rateLimit: SLOW, keys: { pk_a: 'shop-web', pk_b: 'shop-web', pk_blog: 'blog' } });
    try {
      const send = (key: string, project: string) => post(r.url, batchOf([feedbackEvent(project)]), { 'x-feedpulse-key': key });
      for (let i = 0; i < 3; i++) expect((await send('pk_a', 'shop-web')).status).toBe(200);
      // pk_a's own bucket is empty, and so is the IP's bucket for shop-web, whichever key writes to it.
      expect((await send('pk_a', 'shop-web')).status).toBe(429);
      expect((await send('pk_b', 'shop-web')).status).toBe(429);
      // Another key of another project has buckets of its own.
      expect((await send('pk_blog', 'blog')).status).toBe(200);
    } finally {
      await r.stop();
    }
  });

  it('behind a trusted proxy the client IP is the entry the proxy added, not one the client wrote', async () => {
    const r = await startCollector({ rateLimit: SLOW, trustProxy: true });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        // The client forges a new first entry each time; the proxy appends the real address.
        const res = await post(r.url, batchOf([feedbackEvent('shop-web')]), { 'x-forwarded-for': `10.0.0.${i}, 203.0.113.7` });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(r.logs.filter((l) => l.msg === 'ingest').every((l) => l.ip === '203.0.113.7')).toBe(true);
    } finally {
      await r.stop();
    }
  });
});

describe('rate limit: an IPv6 client counts by its /64', () => {
  it('addresses of one /64 share a bucket (anyone on a network holds all its 2^64 addresses); another /64 has its own', async () => {
    const r = await startCollector({ rateLimit: SLOW, trustProxy: true });
    try {
      const from = (address: string) => post(r.url, batchOf([feedbackEvent('shop-web')]), { 'x-forwarded-for': address });
      const statuses: number[] = [];
      // A new address for every request, spelt every way an address can be spelt.
      for (const address of ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:DB8:1:2:aaaa::9', '2001:db8:1:2:0:0:1.2.3.4']) {
        statuses.push((await from(address)).status);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect((await from('2001:db8:1:3::1')).status).toBe(200);
      // The log names the client's own address, not its network.
      expect(r.logs.filter((l) => l.msg === 'ingest').map((l) => l.ip)).toContain('2001:db8:1:2::2');
    } finally {
      await r.stop();
    }
  });

  it('addressGroup: IPv6 to its /64, an IPv4-mapped address to its IPv4 address, anything else unchanged', async () => {
    const { addressGroup } = await import('../../src/collector/address-group.js');
    expect(addressGroup('203.0.113.7')).toBe('203.0.113.7');
    expect(addressGroup('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressGroup('::1')).toBe('0:0:0:0::/64');
    expect(addressGroup('2001:db8::')).toBe('2001:db8:0:0::/64');
    expect(addressGroup('fe80::1%eth0')).toBe(addressGroup('fe80::2'));
    expect(addressGroup('2001:db8:1:2::1')).not.toBe(addressGroup('2001:db8:1:3::1'));
    expect(addressGroup('unknown')).toBe('unknown');
  });
});

describe('rate limiter buckets', () => {
  it('take() of several keys is all or nothing', () => {
    const limiter = createRateLimiter({ perSecond: 1, burst: 1 }, () => 0);
    expect(limiter.take(['a']).ok).toBe(true);
    expect(limiter.take(['b', 'a']).ok).toBe(false);
    expect(limiter.take(['b']).ok).toBe(true); // b was not charged by the refused take
  });

  it('holds at most maxBuckets, forgetting the least recently used', () => {
    let now = 0;
    const limiter = createRateLimiter({ perSecond: 1, burst: 1, maxBuckets: 100 }, () => now);
    expect(limiter.take(['busy']).ok).toBe(true);
    for (let i = 0; i < 1000; i++) {
      limiter.take([`made-up-${i}`]);
      // The busy client keeps its (empty) bucket: flooding new keys does not give it a new burst.
      if (i % 50 === 0) expect(limiter.take(['busy']).ok).toBe(false);
      now += 0.1;
    }
    expect(limiter.size()).toBeLessThanOrEqual(100);
  });

  it('keys named like Object.prototype members are ordinary buckets', () => {
    const limiter = createRateLimiter({ perSecond: 1, burst: 1 }, () => 0);
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(limiter.take([key]).ok).toBe(true);
      expect(limiter.take([key]).ok).toBe(false);
    }
  });
});
