// Bad input: a randomised run of well over 1,000 malformed bodies (garbage bytes, invalid UTF-8,
// deep nesting, __proto__ keys, wrong types, truncated JSON, 10 MB bodies, 100k-event batches).
// Each must get a 4xx, the process must keep answering, nothing may be stored, and the heap must
// come back to about where it started.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Agent } from 'node:http';
import { openLogReader } from '../../src/collector/index.js';
import { startCollector, httpPost, type Running } from '../helpers/collector';
import { feedbackEvent } from '../helpers/events';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** mulberry32: a seeded PRNG so a failing case can be replayed with FUZZ_SEED. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const rand = prng(seed);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(items: T[]): T => items[int(items.length)]!;
const now = () => new Date().toISOString();

const wrongValues: unknown[] = [null, true, 0, -1, 1e308, '', 'x', [], {}, [[]], { a: 1 }, '__proto__', 'constructor'];

function invalidEvent(): unknown {
  const event: Record<string, unknown> = { ...feedbackEvent('fuzz') };
  const field = pick(['id', 'type', 'ts', 'project', 'anonymousId', 'sessionId', 'page', 'data', 'whole']);
  if (field === 'whole') return pick(wrongValues);
  // A wrong value for the field (strings only where they are wrong for it).
  event[field] = pick(wrongValues.filter((v) => typeof v !== 'string' || field === 'type' || field === 'ts' || field === 'page' || field === 'data'));
  if (field === 'id' || field === 'project') event[field] = pick([null, 1, {}, [], '', 'a.b', '__proto__', 'constructor', 'x'.repeat(100)]);
  if (field === 'anonymousId' || field === 'sessionId') event[field] = pick([null, 1, {}, [], '', 'x'.repeat(200)]);
  return event;
}

/** Each generator returns a body that must be refused with a 4xx. */
const generators: Record<string, () => string | Buffer> = {
  garbage: () => Buffer.from(Array.from({ length: int(4096) }, () => int(256))),
  invalidUtf8: () => Buffer.concat([
    Buffer.from(`{"v":1,"sentAt":"${now()}","events":[{"id":"`),
    Buffer.from(pick([[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x28, 0xa1]])),
    Buffer.from('"}]}'),
  ]),
  deepArray: () => '['.repeat(1 + int(200_000)) + ']'.repeat(int(3)),
  deepObject: () => `{"v":1,"events":[${'{"a":'.repeat(1 + int(50_000))}1${'}'.repeat(int(10))}]}`,
  deepProps: () => {
    const depth = 5 + int(5000);
    const event = JSON.stringify({ ...feedbackEvent('fuzz'), type: 'track', data: { name: 'n', props: {} } });
    return `{"v":1,"events":[${event.replace('"props":{}', `"props":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)}]}`;
  },
  protoKeys: () => {
    const key = pick(['"__proto__"', '"constructor"', '"prototype"', '"\\u005f_proto__"']);
    const where = int(3);
    if (where === 0) return `{"v":1,${key}:{"polluted":true},"events":[]}`;
    const event = JSON.stringify(feedbackEvent('fuzz'));
    if (where === 1) return `{"v":1,"events":[${event.slice(0, -1)},${key}:{"polluted":true}}]}`;
    return `{"v":1,"events":[${event.replace('"data":{', `"data":{${key}:{"polluted":1},`)}]}`;
  },
  wrongTypes: () => JSON.stringify(pick([
    { v: pick(wrongValues), events: [] },
    { v: 1, events: pick(wrongValues.filter((v) => !Array.isArray(v))) },
    { v: 1, sentAt: pick([1, {}, [], 'soon', true]), events: [] },
    pick(wrongValues),
    { v: 1, events: Array.from({ length: 1 + int(20) }, invalidEvent) },
  ])),
  truncated: () => {
    const text = JSON.stringify({ v: 1, sentAt: now(), events: [feedbackEvent('fuzz'), feedbackEvent('fuzz')] });
    return text.slice(0, int(text.length - 1));
  },
  randomJson: () => {
    const value = (d: number): unknown => {
      const k = int(d > 3 ? 4 : 6);
      if (k === 0) return rand() * 1e6;
      if (k === 1) return String.fromCharCode(...Array.from({ length: int(20) }, () => int(0xd7ff)));
      if (k === 2) return null;
      if (k === 3) return rand() > 0.5;
      if (k === 4) return Array.from({ length: int(5) }, () => value(d + 1));
      return Object.fromEntries(Array.from({ length: int(5) }, (_, i) => [`k${i}`, value(d + 1)]));
    };
    return JSON.stringify(value(0));
  },
  manyEvents: () => `{"v":1,"events":[${Array.from({ length: 100_000 }, () => '{}').join(',')}]}`,
};

let c: Running;
beforeAll(async () => {
  c = await startCollector();
});
afterAll(async () => c.stop());

describe('malformed bodies', () => {
  it(`answers ≥ 1,000 malformed bodies with 4xx, stays up and bounded (seed ${seed})`, async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const cases: { kind: string; body: () => string | Buffer; headers?: Record<string, string> }[] = [];
    const names = Object.keys(generators).filter((n) => n !== 'manyEvents');
    for (let i = 0; i < 1200; i++) {
      const kind = pick(names);
      cases.push({ kind, body: generators[kind]!, headers: rand() < 0.3 ? { 'content-type': 'text/plain' } : undefined });
    }
    for (let i = 0; i < 3; i++) cases.push({ kind: 'manyEvents', body: generators.manyEvents! });
    // 10 MB bodies: with a Content-Length, and streamed in chunks (no length).
    const big = Buffer.alloc(10 * 1024 * 1024, 0x61);
    for (let i = 0; i < 3; i++) cases.push({ kind: 'tenMegabytes', body: () => big });

    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const endBefore = await openLogReader(c.dataDir).endOffset();
    const unexpected: string[] = [];
    const counts: Record<string, number> = {};
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const item = cases[next++]!;
        const body = item.body();
        const res = await httpPost(c.url, body, agent, item.headers).catch((err: Error) => ({ status: -1, text: err.message }));
        counts[item.kind] = (counts[item.kind] ?? 0) + 1;
        if (res.status < 400 || res.status >= 500) {
          unexpected.push(`${item.kind} → ${res.status} ${res.text.slice(0, 120)} | body: ${String(body).slice(0, 200)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    // Streamed 10 MB bodies (chunked, no Content-Length).
    const { request } = await import('node:http');
    for (let i = 0; i < 2; i++) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(c.url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        let sent = 0;
        const pump = () => {
          while (sent < big.length) {
            const chunk = big.subarray(sent, sent + 65536);
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          req.end();
        };
        pump();
      }).catch(() => -1);
      counts.tenMegabytesStreamed = (counts.tenMegabytesStreamed ?? 0) + 1;
      if (status !== 413) unexpected.push(`streamed 10 MB → ${status}`);
    }
    agent.destroy();

    console.log(`fuzz seed ${seed}:`, counts);
    expect(unexpected).toEqual([]);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1000);
    // Still up, nothing stored, no prototype touched.
    expect((await fetch(`${c.origin}/healthz`)).status).toBe(200);
    expect(await openLogReader(c.dataDir).endOffset()).toBe(endBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    gc();
    const growth = process.memoryUsage().heapUsed - heapBefore;
    console.log(`heap growth after fuzz: ${(growth / 1024 / 1024).toFixed(1)} MB`);
    expect(growth).toBeLessThan(32 * 1024 * 1024);
  }, 240_000);
});
