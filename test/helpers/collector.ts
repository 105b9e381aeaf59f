// For the collector tests: a collector on a real node:http server (port 0), posting to it, and a TCP
// proxy that takes a real broker away from the collector only.
import { createServer, request as httpRequest, type Agent, type Server } from 'node:http';
import { createServer as createNetServer, connect as connectTcp, type AddressInfo, type Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCollector, type Collector, type CollectorOptions } from '../../src/collector/index.js';

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
