// The collector's HTTP answers (CONTRACT §6), table-driven, against a real node:http server and the
// embedded sink in a temp directory.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCollector, openLogReader, SinkUnavailableError, type Sink, type StoredEvent } from '../../src/collector/index.js';
import { startCollector, post, type Running } from '../helpers/collector';
import { batchOf, feedbackEvent, trackEvent } from '../helpers/events';
import { nanoid } from 'nanoid';

let c: Running;
beforeAll(async () => {
  c = await startCollector({ allowedOrigins: ['https://shop.example'] });
});
afterAll(async () => c.stop());

const storedEvents = async (dataDir: string): Promise<StoredEvent[]> => {
  const reader = openLogReader(dataDir);
  const records = await reader.read(0, 100_000);
  await reader.close();
  return records.map((r) => r.event);
};

describe('accepting batches', () => {
  it('answers 200 {accepted, duplicates, rejected} and stores enriched events', async () => {
    const events = [feedbackEvent('shop-web'), trackEvent('shop-web')];
    const res = await post(c.url, batchOf(events), {
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
      'cf-ipcountry': 'de',
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    const stored = (await storedEvents(c.dataDir)).filter((e) => events.some((x) => x.id === e.id));
    expect(stored).toHaveLength(2);
    expect(stored[0]).toMatchObject({ id: events[0]!.id, type: 'feedback', project: 'shop-web', ua: 'Chrome', country: 'DE' });
    expect(Date.parse(stored[0]!.receivedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(stored[1]!.data).toEqual({ name: 'clicked_buy', props: { plan: 'pro', seats: 3 } });
  });

  it('counts resends and in-batch repeats as duplicates', async () => {
    const event = feedbackEvent('shop-web');
    expect((await post(c.url, batchOf([event, event]))).json).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    expect((await post(c.url, batchOf([event]))).json).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    expect((await storedEvents(c.dataDir)).filter((e) => e.id === event.id)).toHaveLength(1);
  });

  it('stores an id once when concurrent requests carry it', async () => {
    const event = feedbackEvent('shop-web');
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(c.url, batchOf([event]))));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.reduce((n, a) => n + (a.json.accepted as number), 0)).toBe(1);
    expect(answers.reduce((n, a) => n + (a.json.duplicates as number), 0)).toBe(7);
    expect((await storedEvents(c.dataDir)).filter((e) => e.id === event.id)).toHaveLength(1);
  });

  it('accepts text/plain bodies (beacons) and an empty batch', async () => {
    const res = await post(c.url, batchOf([feedbackEvent('shop-web')]), { 'content-type': 'text/plain;charset=UTF-8' });
    expect(res.json).toMatchObject({ accepted: 1 });
    expect((await post(c.url, batchOf([]))).json).toEqual({ accepted: 0, duplicates: 0, rejected: [] });
  });

  it('corrects client clock skew from sentAt and keeps the client time', async () => {
    const hourAgo = Date.now() - 3600_000;
    const event = feedbackEvent('shop-web', { ts: new Date(hourAgo - 5000).toISOString() });
    const res = await post(c.url, batchOf([event], new Date(hourAgo).toISOString()));
    expect(res.json).toMatchObject({ accepted: 1 });
    const [stored] = (await storedEvents(c.dataDir)).filter((e) => e.id === event.id);
    expect(stored!.clientTs).toBe(event.ts);
    expect(Math.abs(Date.parse(stored!.ts) - (Date.now() - 5000))).toBeLessThan(10_000);
  });
});

const ok = feedbackEvent('shop-web');
const perEventCases: [string, string, Record<string, unknown>][] = [
  ['stars 0', 'rating_out_of_range', { data: { rating: 0, scale: 'stars' } }],
  ['stars 6', 'rating_out_of_range', { data: { rating: 6, scale: 'stars' } }],
  ['stars 4.5', 'rating_out_of_range', { data: { rating: 4.5, scale: 'stars' } }],
  ['emoji 0', 'rating_out_of_range', { data: { rating: 0, scale: 'emoji' } }],
  ['nps 11', 'rating_out_of_range', { data: { rating: 11, scale: 'nps' } }],
  ['nps -1', 'rating_out_of_range', { data: { rating: -1, scale: 'nps' } }],
  ['thumbs 2', 'rating_out_of_range', { data: { rating: 2, scale: 'thumbs' } }],
  ['rating as string', 'rating_out_of_range', { data: { rating: '4', scale: 'stars' } }],
  ['unknown scale', 'invalid_scale', { data: { rating: 4, scale: 'hearts' } }],
  ['scale toString', 'invalid_scale', { data: { rating: 4, scale: 'toString' } }],
  ['unknown type', 'invalid_type', { type: 'purchase' }],
  ['short id', 'invalid_id', { id: 'abc' }],
  ['id with spaces', 'invalid_id', { id: 'abc def ghi jkl mno pq' }],
  ['numeric id', 'invalid_id', { id: 123456789 }],
  ['project with a dot', 'invalid_project', { project: 'shop.web' }],
  ['project wildcard', 'invalid_project', { project: 'shop>' }],
  ['project __proto__', 'invalid_project', { project: '__proto__' }],
  ['id constructor', 'invalid_id', { id: 'constructor' }],
  ['ts not ISO', 'invalid_ts', { ts: 'yesterday' }],
  ['ts a number', 'invalid_ts', { ts: 1700000000000 }],
  ['ts far future', 'ts_out_of_range', { ts: new Date(Date.now() + 86400_000).toISOString() }],
  ['ts a year ago', 'ts_out_of_range', { ts: new Date(Date.now() - 365 * 86400_000).toISOString() }],
  ['page missing', 'invalid_page', { page: undefined }],
  ['url not a string', 'invalid_page', { page: { url: 42, path: '/' } }],
  ['comment not a string', 'invalid_comment', { data: { rating: 4, scale: 'stars', comment: ['x'] } }],
  ['tags not strings', 'invalid_tags', { data: { rating: 4, scale: 'stars', tags: [1, 2] } }],
  ['anonymousId object', 'invalid_anonymous_id', { anonymousId: {} }],
  ['identify without userId', 'invalid_user_id', { type: 'identify', data: {} }],
  ['track without name', 'invalid_data', { type: 'track', data: { props: {} } }],
  ['track props too deep', 'invalid_props', { type: 'track', data: { name: 'n', props: { a: { b: { c: { d: { e: 1 } } } } } } }],
  ['track props over the size budget', 'invalid_props', { type: 'track', data: { name: 'n', props: { big: 'x'.repeat(9000) } } }],
  ['click without selector', 'invalid_data', { type: 'click', data: { tag: 'a', text: 'Buy' } }],
];

describe('per-event validation', () => {
  it.each(perEventCases)('%s → rejected %s', async (_name, reason, override) => {
    const bad = { ...feedbackEvent('shop-web'), ...override };
    const good = feedbackEvent('shop-web');
    const res = await post(c.url, batchOf([good, bad]));
    expect(res.status).toBe(200);
    expect(res.json.accepted).toBe(1);
    expect(res.json.rejected).toEqual([{ id: typeof bad.id === 'string' ? bad.id : '#1', reason }]);
  });

  it('refuses __proto__ / constructor keys anywhere and never pollutes prototypes', async () => {
    const id1 = nanoid();
    const id2 = nanoid();
    const id3 = nanoid();
    const body = `{"v":1,"sentAt":"${new Date().toISOString()}","events":[`
      + `${JSON.stringify({ ...ok, id: id1 }).slice(0, -1)},"__proto__":{"polluted":true}},`
      + `${JSON.stringify({ ...ok, id: id2, type: 'track', data: { name: 'x', props: {} } }).replace('"props":{}', '"props":{"a":{"constructor":{"prototype":{"polluted":1}}}}')},`
      + `${JSON.stringify({ ...ok, id: id3, page: { url: 'u', path: '/' } }).replace('"path":"/"', '"path":"/","\\u005f_proto__":{"polluted":1}')}`
      + ']}';
    const res = await post(c.url, body);
    expect(res.status).toBe(400); // every event refused
    expect(res.json.rejected).toEqual([
      { id: id1, reason: 'forbidden_key' },
      { id: id2, reason: 'forbidden_key' },
      { id: id3, reason: 'invalid_page' },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('clips long context text (url, title, comment, click text) instead of refusing the event', async () => {
    const event = {
      ...feedbackEvent('shop-web'),
      page: { url: `https://shop.example/?${'a'.repeat(5000)}`, path: '/', title: 't'.repeat(600) },
      data: { rating: 5, scale: 'stars', comment: 'c'.repeat(5000) },
    };
    expect((await post(c.url, batchOf([event]))).json).toMatchObject({ accepted: 1, rejected: [] });
    const [stored] = (await storedEvents(c.dataDir)).filter((e) => e.id === event.id);
    expect(stored!.page.url).toHaveLength(2048);
    expect(stored!.page.title).toHaveLength(512);
    expect((stored!.data as { comment: string }).comment).toHaveLength(4000);
  });

  it('never clips through an emoji: the stored text stays well-formed Unicode', async () => {
    // The emoji's two UTF-16 units sit at 3999–4000 (comment) and 511–512 (title): a plain cut at 4000 / 512 would keep half.
    const event = {
      ...feedbackEvent('shop-web'),
      page: { url: 'https://shop.example/', path: '/', title: `${'t'.repeat(511)}😀 more` },
      data: { rating: 5, scale: 'stars', comment: `${'c'.repeat(3999)}😀 and more` },
    };
    expect((await post(c.url, batchOf([event]))).json).toMatchObject({ accepted: 1, rejected: [] });
    const [stored] = (await storedEvents(c.dataDir)).filter((e) => e.id === event.id);
    const comment = (stored!.data as { comment: string }).comment;
    expect(comment).toBe('c'.repeat(3999));
    expect(stored!.page.title).toBe('t'.repeat(511));
    // Well-formed: survives a UTF-8 round trip unchanged (a lone surrogate would come back as U+FFFD).
    const roundTrip = (t: string) => Buffer.from(t, 'utf8').toString('utf8');
    expect(roundTrip(comment) === comment && roundTrip(stored!.page.title!) === stored!.page.title).toBe(true);
  });

  it('stores lone surrogates (sent as JSON escapes) as U+FFFD, keeps surrogate pairs', async () => {
    const fb = { ...feedbackEvent('shop-web'), data: { rating: 2, scale: 'stars', comment: 'bad \ud83d cut \ude00 pair 😀' } };
    const tr = { ...trackEvent('shop-web'), data: { name: 'x\udfff', props: { 'k\ud800': ['v\udbff', { deep: '\udc00y' }] } } };
    // JSON.stringify writes lone surrogates as \uXXXX escapes, as a client's JSON would arrive.
    const body = batchOf([fb, tr]);
    expect(body).toContain('\\ud83d');
    expect((await post(c.url, body)).json).toMatchObject({ accepted: 2, rejected: [] });
    const stored = (await storedEvents(c.dataDir)).filter((e) => e.id === fb.id || e.id === tr.id);
    expect(stored.map((e) => e.data)).toEqual([
      { rating: 2, scale: 'stars', comment: 'bad \ufffd cut \ufffd pair 😀' },
      { name: 'x\ufffd', props: { 'k\ufffd': ['v\ufffd', { deep: '\ufffdy' }] } },
    ]);
  });

  it('copies only known fields', async () => {
    const event = { ...feedbackEvent('shop-web'), extra: 'dropped', data: { rating: 5, scale: 'stars', hidden: 1 } };
    expect((await post(c.url, batchOf([event]))).json.accepted).toBe(1);
    const [stored] = (await storedEvents(c.dataDir)).filter((e) => e.id === event.id);
    expect(stored).not.toHaveProperty('extra');
    expect(stored!.data).toEqual({ rating: 5, scale: 'stars' });
  });
});

const batchCases: [string, string | Buffer, Record<string, string>, number, string][] = [
  ['malformed JSON', '{"v":1,', {}, 400, 'malformed_json'],
  ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), {}, 400, 'invalid_utf8'],
  ['array body', '[]', {}, 400, 'batch_not_an_object'],
  ['null body', 'null', {}, 400, 'batch_not_an_object'],
  ['empty body', '', {}, 400, 'malformed_json'],
  ['version 2', JSON.stringify({ v: 2, events: [] }), {}, 400, 'unsupported_version'],
  ['events not an array', JSON.stringify({ v: 1, events: {} }), {}, 400, 'events_not_an_array'],
  ['bad sentAt', JSON.stringify({ v: 1, sentAt: 'now', events: [] }), {}, 400, 'invalid_sent_at'],
  ['__proto__ on the batch', '{"v":1,"events":[],"__proto__":{"x":1}}', {}, 400, 'forbidden_key'],
  ['only invalid events', JSON.stringify({ v: 1, events: [1, 'x', null] }), {}, 400, 'no_valid_events'],
  ['form content type', 'a=b', { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'unsupported_content_type'],
  ['too many events', batchOf(Array.from({ length: 501 }, () => feedbackEvent('shop-web'))), {}, 413, 'too_many_events'],
  ['body over the limit', 'x'.repeat(1024 * 1024 + 1), {}, 413, 'body_too_large'],
  ['origin not allowed', batchOf([feedbackEvent('shop-web')]), { origin: 'https://evil.example' }, 403, 'origin_not_allowed'],
];

describe('batch answers', () => {
  it.each(batchCases)('%s', async (_name, body, headers, status, error) => {
    const res = await post(c.url, body, headers);
    expect(res.status).toBe(status);
    expect(res.json.error).toBe(error);
    // Every refusal says in words what is wrong, beside its code.
    expect(res.json.message).toMatch(/^[a-z"].{15,}/);
    expect(res.json.message).not.toBe(error.replace(/_/g, ' '));
  });

  it('says where a body stops being JSON, and the limits a 413 went over', async () => {
    const broken = await post(c.url, '{"v":1,"events":[}');
    expect(broken.json).toMatchObject({ error: 'malformed_json', message: 'the body is not valid JSON' });
    expect(broken.json.detail).toMatch(/^(Unexpected|Expected)\b.*JSON/);
    const tooMany = await post(c.url, batchOf(Array.from({ length: 501 }, () => feedbackEvent('shop-web'))));
    expect(tooMany.json).toMatchObject({ error: 'too_many_events', limit: 500 });
    const tooBig = await post(c.url, 'x'.repeat(1024 * 1024 + 1));
    expect(tooBig.json).toMatchObject({ error: 'body_too_large', limit: 1024 * 1024 });
  });

  it('refuses a chunked body as soon as it crosses the limit', async () => {
    const { port } = c.server.address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/v1/events', method: 'POST', headers: { 'content-type': 'application/json' } });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        // Keep sending well past the limit; the answer must come before we stop.
        while (sent < 64 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
  });

  it('answers CORS preflights for allowed origins and refuses others', async () => {
    const allowed = await fetch(c.url, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('content-type');
    const refused = await fetch(c.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(refused.status).toBe(403);
    const res = await post(c.url, batchOf([feedbackEvent('shop-web')]), { origin: 'https://shop.example' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(res.headers.get('access-control-expose-headers')).toContain('retry-after');
  });

  it('marks every answer Vary: Origin when origins are a list (a shared cache must not mix them up)', async () => {
    const answers = [
      await fetch(c.url, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } }),
      await fetch(c.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } }),
      await fetch(c.url, { method: 'POST', body: batchOf([feedbackEvent('shop-web')]), headers: { 'content-type': 'application/json', origin: 'https://evil.example' } }),
      await fetch(c.url, { method: 'POST', body: batchOf([feedbackEvent('shop-web')]), headers: { 'content-type': 'application/json' } }),
    ];
    expect(answers.map((r) => r.status)).toEqual([204, 403, 403, 200]);
    expect(answers.map((r) => r.headers.get('vary'))).toEqual(['Origin', 'Origin', 'Origin', 'Origin']);
    // A refusal names the refused origin so its page can read why; it allows no method or header.
    expect(answers[1]!.headers.get('access-control-allow-origin')).toBe('https://evil.example');
    expect(answers[1]!.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('serves /healthz, /metrics, 404 and 405', async () => {
    expect(await fetch(`${c.origin}/healthz`).then((r) => r.json())).toEqual({ status: 'ok', sink: 'embedded' });
    const metrics = await fetch(`${c.origin}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^feedpulse_events_accepted_total [1-9]\d*$/m);
    expect(metrics).toMatch(/^feedpulse_events_duplicate_total [1-9]\d*$/m);
    expect(metrics).toMatch(/^feedpulse_events_rejected_total\{reason="rating_out_of_range"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^feedpulse_requests_refused_total\{reason="malformed_json"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^feedpulse_http_requests_total\{status="200"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^feedpulse_log_end_offset\{sink="embedded"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^feedpulse_dedupe_index_ids\{sink="embedded"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^feedpulse_sink_write_seconds_bucket\{sink="embedded",outcome="ok",le="\+Inf"\} [1-9]\d*$/m);
    expect((await fetch(`${c.origin}/nope`)).status).toBe(404);
    expect((await fetch(c.url)).status).toBe(405);
  });

  it('logs one JSON line per request outcome', async () => {
    const before = c.logs.length;
    await post(c.url, '{');
    const line = c.logs.slice(before).find((l) => l.msg === 'ingest');
    expect(line).toMatchObject({ msg: 'ingest', status: 400, error: 'malformed_json', ip: '127.0.0.1' });
    expect(() => JSON.stringify(line)).not.toThrow();
  });
});

describe('keys, rate limit, sink failures, close', () => {
  it('answers 401 to unknown keys; accepts the header or ?key=; refuses other projects', async () => {
    const k = await startCollector({ keys: { pk_shop: 'shop-web' } });
    try {
      expect((await post(k.url, batchOf([feedbackEvent('shop-web')]))).status).toBe(401);
      expect((await post(k.url, batchOf([feedbackEvent('shop-web')]), { 'x-feedpulse-key': 'nope' })).status).toBe(401);
      expect((await post(k.url, batchOf([feedbackEvent('shop-web')]), { 'x-feedpulse-key': 'pk_shop' })).json.accepted).toBe(1);
      expect((await post(`${k.url}?key=pk_shop`, batchOf([feedbackEvent('shop-web')]), { 'content-type': 'text/plain' })).json.accepted).toBe(1);
      const other = feedbackEvent('blog');
      const res = await post(`${k.url}?key=pk_shop`, batchOf([feedbackEvent('shop-web'), other]));
      expect(res.json).toMatchObject({ accepted: 1, rejected: [{ id: other.id, reason: 'project_not_allowed' }] });
    } finally {
      await k.stop();
    }
  });

  it('a data folder that cannot be opened: 503 without its path (that goes to the log only)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fp-secret-place-'));
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a folder');
    const logs: Record<string, unknown>[] = [];
    const collector = createCollector({ dataDir: join(file, 'data'), rateLimit: false, log: (e) => logs.push(e) });
    await collector.ready.catch(() => undefined);
    const server = createServer(collector);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const res = await post(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/events`, batchOf([feedbackEvent('shop-web')]));
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({ error: 'sink_unavailable' });
      expect(JSON.stringify(res.json)).not.toContain('fp-secret-place');
      expect(res.json.message).toContain('sink_open_failed');
      const opened = logs.find((l) => l.msg === 'sink_open_failed');
      expect(String(opened?.error)).toContain('fp-secret-place');
    } finally {
      await collector.close().catch(() => undefined);
      await new Promise((r) => server.close(r));
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('answers 429 with Retry-After past the per-IP bucket', async () => {
    // One token per 100 s: no refill can happen during the test, however slow the machine.
    const r = await startCollector({ rateLimit: { perSecond: 0.01, burst: 3 } });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const res = await post(r.url, batchOf([feedbackEvent('shop-web')]));
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get('retry-after');
      }
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(statuses.slice(3)).toEqual([429, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      // The bucket is the sender's (IP, and key when keys are configured): another project in the body is no way out.
      expect((await post(r.url, batchOf([feedbackEvent('blog')]))).status).toBe(429);
    } finally {
      await r.stop();
    }
  });

  it('answers 503 with Retry-After when the sink fails or does not confirm in time, and 200 once it does', async () => {
    let mode: 'fail' | 'slow' | 'ok' = 'fail';
    const held = new Set<string>();
    let release: () => void = () => undefined;
    let slowWriteDone: Promise<void> = Promise.resolve();
    const sink: Sink = {
      kind: 'embedded',
      ready: Promise.resolve(),
      isUp: () => mode === 'ok',
      has: (id) => held.has(id),
      write: async (events) => {
        if (mode === 'fail') throw new SinkUnavailableError('disk on fire', 7);
        if (mode === 'slow') {
          const gate = new Promise<void>((r) => (release = r));
          slowWriteDone = gate.then(() => undefined);
          await gate;
        }
        for (const e of events) held.add(e.id);
        return { duplicateIds: [] };
      },
      close: async () => undefined,
    };
    const s = await startCollector({ sink, sinkTimeoutMs: 300 });
    try {
      const event = feedbackEvent('shop-web');
      const failed = await post(s.url, batchOf([event]));
      expect(failed.status).toBe(503);
      expect(failed.headers.get('retry-after')).toBe('7');
      mode = 'slow';
      const slow = await post(s.url, batchOf([event]));
      expect(slow.status).toBe(503); // not confirmed within sinkTimeoutMs
      expect(Number(slow.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await fetch(`${s.origin}/healthz`)).status).toBe(503);
      // The slow write lands later; the client's retry then finds the event stored.
      mode = 'ok';
      release();
      await slowWriteDone;
      expect((await post(s.url, batchOf([event]))).json).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
      expect((await post(s.url, batchOf([feedbackEvent('shop-web')]))).json).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    } finally {
      await s.stop();
    }
  });

  it('close() lets in-flight requests finish and then refuses new ones', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let writing: () => void = () => undefined;
    const writeStarted = new Promise<void>((r) => (writing = r));
    const sink: Sink = {
      kind: 'embedded', ready: Promise.resolve(), isUp: () => true, has: () => false,
      write: async () => { writing(); await gate; return { duplicateIds: [] }; },
      close: async () => undefined,
    };
    const s = await startCollector({ sink });
    const inFlight = post(s.url, batchOf([feedbackEvent('shop-web')]));
    await writeStarted; // the request is inside the sink
    let closed = false;
    const closing = s.collector.close().then(() => (closed = true));
    expect((await post(s.url, batchOf([feedbackEvent('shop-web')]))).status).toBe(503);
    expect(closed).toBe(false); // still waiting for the request in flight
    release();
    expect((await inFlight).json.accepted).toBe(1);
    await closing;
    expect(closed).toBe(true);
    await s.stop();
  });

  it('while closing answers the Kafka REST route like /v1/events: 503 with CORS, Retry-After, counted', async () => {
    const s = await startCollector({ allowedOrigins: ['https://shop.example'] });
    await s.collector.close();
    const headers = { origin: 'https://shop.example' };
    const kafka = await post(`${s.origin}/v1/events/topics/feedpulse`, JSON.stringify({ records: [{ value: feedbackEvent('shop-web') }] }),
      { ...headers, 'content-type': 'application/vnd.kafka.json.v2+json' });
    const json = await post(s.url, batchOf([feedbackEvent('shop-web')]), headers);
    for (const res of [kafka, json]) {
      expect(res.status).toBe(503);
      expect(res.json.error).toBe('shutting_down');
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    }
    const metrics = await fetch(`${s.origin}/metrics`).then((r) => r.text());
    expect(metrics).toContain('feedpulse_requests_refused_total{reason="shutting_down"} 2');
    await s.stop();
  });

  it('passes unknown paths to next() (Express/connect middleware) and serves its own', async () => {
    const server = createServer((req, res) => {
      c.collector(req, res, () => res.writeHead(200, { 'content-type': 'text/plain' }).end('from the app'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    expect(await fetch(`http://127.0.0.1:${port}/somewhere`).then((r) => r.text())).toBe('from the app');
    expect((await post(`http://127.0.0.1:${port}/v1/events`, batchOf([feedbackEvent('shop-web')]))).json.accepted).toBe(1);
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('works behind a framework that already parsed the body (req.body, as Express does)', async () => {
    const dataDir = c.dataDir;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => {
        (req as unknown as { body: unknown }).body = JSON.parse(Buffer.concat(chunks).toString());
        c.collector(req, res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const event = feedbackEvent('shop-web');
    const res = await post(`http://127.0.0.1:${port}/v1/events`, batchOf([event]));
    expect(res.json).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect((await storedEvents(dataDir)).some((e) => e.id === event.id)).toBe(true);
    await new Promise<void>((r) => server.close(() => r()));
  });
});

describe('Kafka REST Proxy v2 produce route (the SDK kafka-rest transport)', () => {
  it('takes records at <endpoint>/topics/<topic> and answers offsets with per-record error codes', async () => {
    const good = feedbackEvent('shop-web');
    const bad = { ...feedbackEvent('shop-web'), data: { rating: 9, scale: 'stars' } };
    const body = JSON.stringify({ records: [{ key: good.anonymousId, value: good }, { key: bad.anonymousId, value: bad }] });
    for (const path of ['/v1/events/topics/feedpulse', '/topics/feedpulse']) {
      const res = await post(`${c.origin}${path}`, body, { 'content-type': 'application/vnd.kafka.json.v2+json' });
      expect(res.status).toBe(200);
      expect(res.json.offsets).toEqual([
        { partition: 0, offset: null, error_code: null, error: null },
        { partition: null, offset: null, error_code: 42201, error: 'rating_out_of_range' },
      ]);
    }
    expect((await storedEvents(c.dataDir)).filter((e) => e.id === good.id)).toHaveLength(1);
    expect((await post(`${c.origin}/topics/feedpulse`, '{"records":7}', { 'content-type': 'application/vnd.kafka.json.v2+json' })).status).toBe(400);
  });
});

describe('odd requests', () => {
  it('answers a malformed absolute-form request target with 400 and stays up', async () => {
    const { port } = c.server.address() as AddressInfo;
    const { connect } = await import('node:net');
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('POST http://[/v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}'));
      let data = '';
      socket.on('data', (d) => {
        data += d.toString();
        if (data.includes('\r\n')) socket.end(); // the status line is in
      });
      socket.on('close', () => resolve(data));
      socket.on('error', () => resolve(data));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(`${c.origin}/healthz`)).status).toBe(200);
  });

  it('refuses look-alike content types', async () => {
    const body = batchOf([feedbackEvent('shop-web')]);
    expect((await post(c.url, body, { 'content-type': 'application/jsonx' })).status).toBe(415);
    expect((await post(c.url, body, { 'content-type': 'text/plainly' })).status).toBe(415);
    expect((await post(c.url, body, { 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
  });
});

describe('clients that go away', () => {
  it('survives clients resetting mid-body, mid-refusal and before the answer', async () => {
    const { port } = c.server.address() as AddressInfo;
    const { connect } = await import('node:net');
    const scenarios = [
      'POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"v":1,"ev',
      `POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${20 * 1024 * 1024}\r\n\r\n${'x'.repeat(70_000)}`,
      'POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"v":',
      `POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${batchOf([feedbackEvent('shop-web')]).length}\r\n\r\n${batchOf([feedbackEvent('shop-web')])}`,
    ];
    for (let round = 0; round < 5; round++) {
      await Promise.all(scenarios.map((raw) => new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(raw);
          setTimeout(() => {
            socket.resetAndDestroy();
            resolve();
          }, round);
        });
        socket.on('error', () => resolve());
      })));
    }
    await new Promise((r) => setTimeout(r, 100));
    expect((await fetch(`${c.origin}/healthz`)).status).toBe(200);
    expect((await post(c.url, batchOf([feedbackEvent('shop-web')]))).status).toBe(200);
  });
});

describe('answers sent before the body was read', () => {
  /** Sends `head`, then one body byte every 50 ms until the server closes; what came back and when. */
  const trickle = async (port: number, head: string) => {
    const { connect } = await import('node:net');
    return new Promise<{ answer: string; closedAfterMs: number | undefined }>((resolve) => {
      const started = Date.now();
      let answer = '';
      let closedAfterMs: number | undefined;
      const socket = connect(port, '127.0.0.1', () => socket.write(head));
      const drip = setInterval(() => { if (!socket.destroyed) socket.write('x'); }, 50);
      // Past this, the server is keeping the trickling client's socket: give up and say so.
      const giveUp = setTimeout(() => socket.destroy(), 4000);
      socket.on('data', (d) => { answer += d.toString(); });
      socket.on('end', () => { closedAfterMs ??= Date.now() - started; });
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(drip);
        clearTimeout(giveUp);
        resolve({ answer, closedAfterMs });
      });
    });
  };

  it('a 408 body_timeout (and an early 413) says Connection: close and closes the trickling client\'s socket', async () => {
    const s = await startCollector({ bodyTimeoutMs: 300, bodyLimit: 1000 });
    try {
      const { port } = s.server.address() as AddressInfo;
      const slow = await trickle(port, 'POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 900\r\n\r\n{');
      expect(slow.answer).toMatch(/^HTTP\/1\.1 408/);
      expect(slow.answer).toMatch(/\r\nconnection: close\r\n/i);
      expect(slow.answer).toContain('"error":"body_timeout"');
      expect(slow.closedAfterMs).toBeDefined(); // the server ended it, not our 4 s give-up
      expect(slow.closedAfterMs!).toBeLessThan(2000);

      const big = await trickle(port, 'POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{');
      expect(big.answer).toMatch(/^HTTP\/1\.1 413/);
      expect(big.answer).toMatch(/\r\nconnection: close\r\n/i);
      expect(big.closedAfterMs).toBeDefined();
      expect(big.closedAfterMs!).toBeLessThan(2000);
      expect((await fetch(`${s.origin}/healthz`)).status).toBe(200);
    } finally {
      await s.stop();
    }
  });
});
