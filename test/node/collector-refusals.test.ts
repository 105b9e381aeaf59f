// A refused origin is visible: the answer is a readable {error, message} (CORS lets the refused page
// read it), and the collector logs and counts it, for preflights and for posts.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { batchOf, feedbackEvent } from '../helpers/events';
import { startCollector, type Running } from '../helpers/collector';

let c: Running;
beforeAll(async () => {
  c = await startCollector({ allowedOrigins: ['https://shop.example'] });
});
afterAll(async () => {
  await c.stop();
});

const metric = async (line: RegExp) => Number((await fetch(`${c.origin}/metrics`).then((r) => r.text())).match(line)?.[1] ?? Number.NaN);

describe('refused origins', () => {
  it('a refused preflight: 403 {error, message} the page can read, a warn log line, a metric', async () => {
    const before = await metric(/^feedpulse_preflights_total\{outcome="refused"\} (\d+)$/m);
    const res = await fetch(c.url, { method: 'OPTIONS', headers: { origin: 'https://typo.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://typo.example');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
    expect(res.headers.get('vary')).toBe('Origin');
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.error).toBe('origin_not_allowed');
    expect(String(body.message)).toMatch(/FEEDPULSE_ORIGINS/);
    expect(c.logs).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'preflight_refused', origin: 'https://typo.example', ip: '127.0.0.1', status: 403 }));
    expect(await metric(/^feedpulse_preflights_total\{outcome="refused"\} (\d+)$/m)).toBe(before + 1);
    // An allowed one is counted too.
    await fetch(c.url, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } });
    expect(await metric(/^feedpulse_preflights_total\{outcome="allowed"\} (\d+)$/m)).toBeGreaterThanOrEqual(1);
  });

  it('a refused post (a text/plain beacon needs no preflight): readable 403, warn log, metric; nothing stored', async () => {
    const before = await metric(/^feedpulse_requests_refused_total\{reason="origin_not_allowed"\} (\d+)$/m);
    const res = await fetch(c.url, { method: 'POST', body: batchOf([feedbackEvent('shop-web')]), headers: { 'content-type': 'text/plain', origin: 'https://typo.example' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://typo.example');
    expect(await res.json()).toMatchObject({ error: 'origin_not_allowed', message: expect.stringContaining('Origin') });
    expect(c.logs).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'ingest', status: 403, error: 'origin_not_allowed', origin: 'https://typo.example' }));
    expect(await metric(/^feedpulse_requests_refused_total\{reason="origin_not_allowed"\} (\d+)$/m)).toBe((Number.isNaN(before) ? 0 : before) + 1);
    expect(await metric(/^feedpulse_events_accepted_total (\d+)$/m)).toBe(0);
  });

  it('an origin header of any length is logged clipped', async () => {
    const long = `https://${'a'.repeat(5000)}.example`;
    await fetch(c.url, { method: 'OPTIONS', headers: { origin: long } });
    const line = c.logs.filter((l) => l.msg === 'preflight_refused').at(-1);
    expect(line).toBeDefined();
    expect(String(line!.origin)).toBe(long.slice(0, 200));
  });
});
