// Compressed request bodies: gzip, deflate (zlib and raw) and br are decoded and stored; the body
// limit applies to the decoded bytes (a compression bomb gets 413); a corrupt stream is 400
// `invalid_content_encoding`; any other coding is 415 — never a misleading 400 `invalid_utf8`,
// which would make the SDK drop the batch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { openLogReader } from '../../src/collector/index.js';
import { batchOf, feedbackEvent } from '../helpers/events';
import { post, startCollector, type Running } from '../helpers/collector';

describe('Content-Encoding', () => {
  let c: Running;
  beforeAll(async () => { c = await startCollector({ bodyLimit: 64 * 1024 }); });
  afterAll(async () => { await c.stop(); });

  const stored = async (ids: string[]) => {
    const reader = openLogReader(c.dataDir);
    try {
      return (await reader.read(0, 10_000)).map((r) => r.event.id).filter((id) => ids.includes(id));
    } finally { await reader.close(); }
  };

  it.each([
    ['gzip', gzipSync],
    ['x-gzip', gzipSync],
    ['deflate', deflateSync],
    ['deflate', deflateRawSync],
    ['br', brotliCompressSync],
    ['identity', (b: Buffer) => b],
  ] as const)('%s bodies are decoded and stored', async (coding, compress) => {
    const events = [feedbackEvent('shop-web'), feedbackEvent('shop-web')];
    const res = await post(c.url, compress(Buffer.from(batchOf(events))), { 'content-encoding': coding });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(await stored(events.map((e) => e.id))).toEqual(events.map((e) => e.id));
  });

  it('applies the body limit to the decoded bytes', async () => {
    // 1 MB of spaces inside valid JSON compresses to ~1 KB: small on the wire, over the 64 KB limit decoded.
    const bomb = gzipSync(Buffer.from(`{"v":1,"events":[]${' '.repeat(1024 * 1024)}}`));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const res = await post(c.url, bomb, { 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(res.json.error).toBe('body_too_large');
  });

  it('answers 400 invalid_content_encoding for a corrupt stream and 415 for codings it cannot decode', async () => {
    const event = feedbackEvent('shop-web');
    const corrupt = await post(c.url, Buffer.from(batchOf([event])), { 'content-encoding': 'gzip' });
    expect(corrupt.status).toBe(400);
    expect(corrupt.json.error).toBe('invalid_content_encoding');
    for (const coding of ['compress', 'zstd', 'gzip, br']) {
      const res = await post(c.url, gzipSync(Buffer.from(batchOf([event]))), { 'content-encoding': coding });
      expect(res.status).toBe(415);
      expect(res.json.error).toBe('unsupported_content_encoding');
    }
    expect(await stored([event.id])).toEqual([]);
  });
});
