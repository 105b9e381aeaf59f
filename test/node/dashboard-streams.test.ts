// Dashboard streams cost the server a bounded amount, whoever opens them: streams are capped in
// total and per client address (refused with the reason), and every stream of a project the
// dashboard does not know shares one view, so made-up `?project=` names cause no per-name work.
import { mkdtemp, rm } from 'node:fs/promises';
import { request, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFeedpulseServer, type FeedpulseServer, type FeedpulseServerOptions } from '../../src/consumer/index';
import { ratingEvent, postEvents, waitFor } from '../helpers/consumer';

interface OpenStream { status: number; body: string; frames: string[]; req: ClientRequest }

/** A raw stream request from `localAddress` (127.0.0.x are all this machine, with different addresses). */
function openStream(s: FeedpulseServer, path: string, localAddress = '127.0.0.1', headers: Record<string, string> = {}): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, path, localAddress, headers, agent: false }, (res) => {
      const stream: OpenStream = { status: res.statusCode ?? 0, body: '', frames: [], req };
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        stream.body += chunk;
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.startsWith('event: view')) stream.frames.push(frame.slice(frame.indexOf('data: ') + 6));
        }
      });
      res.on('error', () => undefined);
      // The status is known at once; SSE bodies go on, refusals end.
      setTimeout(() => resolve(stream), res.statusCode === 200 ? 50 : 0);
      res.on('end', () => resolve(stream));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('dashboard streams', () => {
  let server: FeedpulseServer | undefined;
  let dataDir = '';
  const open: OpenStream[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) s.req.destroy();
    await server?.close();
    server = undefined;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  const start = async (options: FeedpulseServerOptions = {}) => {
    dataDir = await mkdtemp(join(tmpdir(), 'fp-streams-'));
    server = await startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir, collector: { log: false, rateLimit: false }, ...options }, {});
    return server;
  };
  const track = async (p: Promise<OpenStream>) => { const s = await p; open.push(s); return s; };

  it('caps streams per client address (429) and in all (503), with a message; a closed stream frees its place', async () => {
    const s = await start({ streams: { maxStreams: 5, maxStreamsPerAddress: 3 } });
    for (let i = 0; i < 3; i++) expect((await track(openStream(s, '/dashboard/stream'))).status).toBe(200);
    const perAddress = await track(openStream(s, '/dashboard/stream?project=shop'));
    expect(perAddress.status).toBe(429);
    expect(JSON.parse(perAddress.body)).toMatchObject({ error: 'too_many_streams', message: expect.stringMatching(/3 live streams .* your address/) });
    for (let i = 0; i < 2; i++) expect((await track(openStream(s, '/dashboard/stream', '127.0.0.2'))).status).toBe(200);
    const total = await track(openStream(s, '/dashboard/stream', '127.0.0.3'));
    expect(total.status).toBe(503);
    expect(JSON.parse(total.body).message).toMatch(/5 live streams open/);
    // One closes: the next one opens.
    open[0].req.destroy();
    await waitFor(async () => {
      const again = await track(openStream(s, '/dashboard/stream', '127.0.0.3'));
      return again.status === 200;
    }, 5000, 'a free place after a stream closed');
  });

  it('behind a trusted proxy counts streams per forwarded client address', async () => {
    const s = await start({ streams: { maxStreamsPerAddress: 2 }, collector: { log: false, rateLimit: false, trustProxy: true } });
    // The proxy appends the address it saw; what comes before is whatever the client sent.
    const from = (ip: string) => track(openStream(s, '/dashboard/stream', '127.0.0.1', { 'x-forwarded-for': `198.51.100.7, ${ip}` }));
    expect((await from('203.0.113.1')).status).toBe(200);
    expect((await from('203.0.113.1')).status).toBe(200);
    expect((await from('203.0.113.1')).status).toBe(429);
    expect((await from('203.0.113.2')).status).toBe(200); // another visitor through the same proxy
  });

  it('all streams of made-up projects share one view; a project becomes its own once it has events', async () => {
    const s = await start();
    const streams = await Promise.all(Array.from({ length: 12 }, (_, i) => track(openStream(s, `/dashboard/stream?project=made-up-${i}`))));
    expect(streams.every((st) => st.status === 200)).toBe(true);
    await postEvents(`${s.url}/v1/events`, [ratingEvent('real-shop', 5)]);
    await waitFor(() => streams.every((st) => st.frames.length >= 2), 5000, 'a push to every stream');
    // The push after the event: one frame, byte for byte, for every made-up name.
    const pushed = new Set(streams.map((st) => st.frames[1]));
    expect(pushed.size).toBe(1);
    expect(JSON.parse([...pushed][0])).toMatchObject({ project: null, unseen: true, processed: 0, projects: ['real-shop'] });
    expect(streams[0].frames[1]).not.toContain('made-up');

    // A stream opened for a project before its first event switches to that project's view.
    const early = await track(openStream(s, '/dashboard/stream?project=later'));
    expect(JSON.parse(early.frames[0])).toMatchObject({ unseen: true });
    await postEvents(`${s.url}/v1/events`, [ratingEvent('later', 2)]);
    await waitFor(() => early.frames.some((f) => JSON.parse(f).project === 'later'), 5000, 'the project\'s own view');
    expect(JSON.parse(early.frames.at(-1)!)).toMatchObject({ project: 'later', processed: 1 });
  });
});
