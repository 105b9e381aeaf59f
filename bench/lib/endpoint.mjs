// One local HTTP server per run: serves the bench pages, dist/ and the anchor bundles, and receives
// what every SDK posts (Feedpulse at /v1/events, PostHog under /ph, Segment under /seg, RudderStack
// under /rs, Sentry under /sentry). Events are recognised by their marker name `bench_evt_<n>`, found
// in whatever body format each vendor uses (JSON, gzip, base64 form, Sentry envelopes).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json' };
// Cross-origin isolation gives performance.now() 5 µs resolution in Chromium instead of 100 µs.
const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-resource-policy': 'same-origin' };
const MARKER = /bench_evt_(\d+)/g;

function decodeBody(buf, url) {
  const texts = [];
  if (buf[0] === 0x1f && buf[1] === 0x8b) {
    try { texts.push(gunzipSync(buf).toString('utf8')); } catch { /* not gzip after all */ }
  }
  const text = buf.toString('utf8');
  texts.push(text);
  if (text.startsWith('data=')) {
    try { texts.push(Buffer.from(decodeURIComponent(text.slice(5).split('&')[0]), 'base64').toString('utf8')); } catch { /* not base64 */ }
  }
  if (url.searchParams.get('compression') === 'base64') {
    try { texts.push(Buffer.from(text, 'base64').toString('utf8')); } catch { /* ignore */ }
  }
  return texts.join('\n');
}

function collectorAnswer(text) {
  try {
    const n = JSON.parse(text)?.events?.length ?? 0;
    return { accepted: n, duplicates: 0, rejected: [] };
  } catch { return { accepted: 0, duplicates: 0, rejected: [] }; }
}

export async function startEndpoint({ roots }) {
  const pages = new Map();
  let seen = new Map(); // marker number -> how many requests carried it
  let requests = 0;
  let lastNewAt = 0;
  let bytesIn = 0;
  let waiters = [];

  const notify = () => {
    waiters = waiters.filter((w) => {
      if (seen.size < w.n) return true;
      w.resolve(performance.now());
      return false;
    });
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-origin': req.headers.origin ?? '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'POST, GET, OPTIONS' }).end();
      return;
    }
    if (req.method === 'POST') {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const buf = Buffer.concat(chunks);
      requests += 1;
      bytesIn += buf.length;
      const text = decodeBody(buf, url);
      const inThisRequest = new Set();
      for (const m of text.matchAll(MARKER)) inThisRequest.add(Number(m[1]));
      for (const n of inThisRequest) {
        if (!seen.has(n)) lastNewAt = performance.now();
        seen.set(n, (seen.get(n) ?? 0) + 1);
      }
      notify();
      const body = url.pathname === '/v1/events' ? collectorAnswer(buf.toString('utf8')) : { status: 1 };
      res.writeHead(200, { 'content-type': 'application/json', ...ISOLATION }).end(JSON.stringify(body));
      return;
    }
    // PostHog asks for flags and remote config; answer "nothing enabled" like a fresh project.
    if (url.pathname.startsWith('/ph/flags') || url.pathname.startsWith('/ph/decide')) {
      res.writeHead(200, { 'content-type': 'application/json', ...ISOLATION }).end('{"featureFlags":{},"flags":{},"errorsWhileComputingFlags":false}');
      return;
    }
    const page = pages.get(url.pathname);
    if (page) { res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store', ...ISOLATION }).end(page); return; }
    for (const [prefix, dir] of Object.entries(roots)) {
      if (!url.pathname.startsWith(prefix)) continue;
      const base = normalize(dir).replace(/\/+$/, '');
      const file = normalize(join(base, decodeURIComponent(url.pathname.slice(prefix.length))));
      if (!file.startsWith(base + sep)) break;
      try {
        const data = await readFile(file);
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store', ...ISOLATION }).end(data);
      } catch { res.writeHead(404, ISOLATION).end('not found'); }
      return;
    }
    res.writeHead(404, ISOLATION).end('not found');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;

  return {
    origin,
    host: `127.0.0.1:${server.address().port}`,
    page(path, html) { pages.set(path, html); },
    reset() { seen = new Map(); requests = 0; bytesIn = 0; lastNewAt = 0; waiters = []; },
    /** Distinct marker events received, and how many arrived more than once. */
    counts() {
      let duplicates = 0;
      for (const c of seen.values()) duplicates += c - 1;
      return { distinct: seen.size, duplicates, requests, bytesIn, lastNewAt };
    },
    /** Resolves with performance.now() when `n` distinct markers have arrived, or null at the timeout. */
    waitFor(n, timeoutMs) {
      if (seen.size >= n) return Promise.resolve(performance.now());
      return new Promise((resolve) => {
        const w = { n, resolve };
        waiters.push(w);
        setTimeout(() => { waiters = waiters.filter((x) => x !== w); resolve(null); }, timeoutMs).unref();
      });
    },
    close() { return new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }); },
  };
}
