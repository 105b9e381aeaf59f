// A local HTTP server for browser tests: serves dist/ and demo pages, and records what the SDK posts
// to /v1/events. Tests script its answers (status, headers, body) per request.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: unknown;
  at: number;
}
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}
/** Return an Answer to script the reply, or undefined for the default 200 collector answer. */
export type Responder = (req: Received) => Answer | undefined | Promise<Answer | undefined>;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml',
};

export interface TestEndpoint {
  url: string;
  origin: string;
  received: Received[];
  /** Every event id received in a batch that got a 2xx answer, in order (duplicates kept). */
  acceptedIds(): string[];
  respond(fn: Responder | undefined): void;
  /** Serve an HTML page at a path, with optional response headers (e.g. a CSP). */
  page(path: string, html: string, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

export async function startEndpoint(root = process.cwd()): Promise<TestEndpoint> {
  const received: Received[] = [];
  const accepted: string[] = [];
  const pages = new Map<string, { html: string; headers: Record<string, string> }>();
  let responder: Responder | undefined;

  const cors = (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
    res.setHeader('access-control-allow-headers', '*');
    res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
    res.setHeader('access-control-expose-headers', 'retry-after');
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'OPTIONS') { cors(req, res); res.writeHead(204).end(); return; }
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try { json = JSON.parse(body); } catch { json = undefined; }
      const entry: Received = { path: url.pathname, method: 'POST', headers: req.headers, body, json, at: Date.now() };
      received.push(entry);
      const answer = (await responder?.(entry)) ?? { status: 200 };
      cors(req, res);
      const ids = eventIds(json);
      if (answer.status >= 200 && answer.status < 300) accepted.push(...ids);
      const payload = answer.body ?? (answer.status < 300 ? { accepted: ids.length, duplicates: 0, rejected: [] } : { error: 'scripted' });
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(payload));
      return;
    }
    const page = pages.get(url.pathname);
    if (page) { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...page.headers }).end(page.html); return; }
    const file = normalize(join(root, decodeURIComponent(url.pathname))).replace(/\/$/, '/index.html');
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    try {
      const data = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(data);
    } catch { res.writeHead(404).end('not found'); }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/v1/events`,
    origin,
    received,
    acceptedIds: () => accepted.slice(),
    respond: (fn) => { responder = fn; },
    page: (path, html, headers = {}) => { pages.set(path, { html, headers }); },
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** Event ids in a json-transport batch or a kafka-rest records body. */
export function eventIds(json: unknown): string[] {
  if (!json || typeof json !== 'object') return [];
  const o = json as { events?: { id?: string }[]; records?: { value?: { id?: string } }[] };
  if (Array.isArray(o.events)) return o.events.map((e) => String(e?.id));
  if (Array.isArray(o.records)) return o.records.map((r) => String(r?.value?.id));
  return [];
}
