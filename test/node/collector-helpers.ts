// Shared by the collector tests: a collector on a real node:http server (port 0), batch builders.
import { createServer, request as httpRequest, type Agent, type Server } from 'node:http';
import { createServer as createNetServer, connect as connectTcp, type AddressInfo, type Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createCollector, type Collector, type CollectorOptions } from '../../src/collector/index.js';
import type { FeedpulseEvent } from '../../src/core/types.js';

export interface Running {
  url: string;
  origin: string;
  collector: Collector;
  server: Server;
  dataDir: string;
  logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

export async function startCollector(options: CollectorOptions = {}): Promise<Running> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'fp-collector-')));
  const logs: Record<string, unknown>[] = [];
  const collector = createCollector({ rateLimit: false, log: (e) => logs.push(e), ...options, dataDir });
  const server = createServer(collector);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  await collector.ready;
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/v1/events`,
    origin,
    collector,
    server,
    dataDir,
    logs,
    async stop() {
      server.closeIdleConnections();
      await collector.close();
      await new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      });
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
export function nanoid(size = 21): string {
  const bytes = randomBytes(size);
  let id = '';
  for (let i = 0; i < size; i++) id += ALPHABET[bytes[i]! & 63];
  return id;
}

export function feedbackEvent(project: string, overrides: Partial<FeedpulseEvent> = {}): FeedpulseEvent {
  return {
    id: nanoid(),
    type: 'feedback',
    ts: new Date().toISOString(),
    project,
    anonymousId: 'anon-1',
    sessionId: 'sess-1',
    page: { url: 'https://shop.example/checkout', path: '/checkout', title: 'Checkout' },
    data: { rating: 4, scale: 'stars', comment: 'Fast checkout' },
    ...overrides,
  } as FeedpulseEvent;
}

export function trackEvent(project: string, name = 'clicked_buy'): FeedpulseEvent {
  return {
    id: nanoid(),
    type: 'track',
    ts: new Date().toISOString(),
    project,
    anonymousId: 'anon-2',
    sessionId: 'sess-2',
    page: { url: 'https://shop.example/', path: '/' },
    data: { name, props: { plan: 'pro', seats: 3 } },
  };
}

export const batchOf = (events: unknown[], sentAt = new Date().toISOString()) => JSON.stringify({ v: 1, sentAt, events });

export async function post(url: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers: { 'content-type': 'application/json', ...headers } });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** POST over node:http with an optional keep-alive agent (fetch cannot take one without undici). */
export function httpPost(url: string, body: string | Buffer, agent?: Agent, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A TCP proxy in front of a real broker, to take the broker "down" for the collector only. */
export interface TcpProxy {
  port: number;
  /** Refuse new connections and cut the open ones (the broker itself keeps running). */
  stop(): Promise<void>;
  /** Listen again on the same port. */
  start(): Promise<void>;
  /** A partition: connections stay open (new ones too) but every byte is dropped. */
  silence(): void;
  /** The partition heals: the half-dead connections are cut, new ones are forwarded. */
  heal(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let silent = false;
  // Flowing with nowhere to go: what arrives is read and dropped.
  const discard = (s: Socket) => s.unpipe().resume();
  const server = createNetServer((client) => {
    const upstream = connectTcp(targetPort, targetHost);
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    if (silent) [client, upstream].forEach(discard);
    else client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  let listening = true;
  const stop = async () => {
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const s of sockets) s.destroy();
    sockets.clear();
    await closed;
  };
  return {
    port,
    stop,
    start: async () => {
      if (listening) return;
      await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
      listening = true;
    },
    silence: () => {
      silent = true;
      sockets.forEach(discard);
    },
    heal: () => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      silent = false;
    },
    close: stop,
  };
}

/** Resolves with undefined when something listens on host:port, else with the reason. */
export function probeTcp(port: number, host = '127.0.0.1', timeoutMs = 1500): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connectTcp(port, host);
    const done = (reason?: string) => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer from ${host}:${port} within ${timeoutMs} ms`));
    socket.once('connect', () => done());
    socket.once('error', (err) => done(`${host}:${port} unreachable (${err.message})`));
  });
}

/** Polls until fn returns a truthy value (or throws after timeoutMs). */
export async function eventually<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
