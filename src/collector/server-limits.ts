// What one HTTP server lets a connection hold: time (headers, the whole request, keep-alive idle)
// and how many connections one client IP may have open at once. The collector is a request
// handler; whoever creates the server applies these (the demo server does, docs/collector.md
// shows how).
import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { sendError } from './respond.js';
import { addressGroup } from './address-group.js';
import type { Logger } from '../server/logger.js';

/**
 * Options for `http.createServer`. Node's defaults held a socket that trickles its headers, or
 * says nothing at all, for up to 90 s (60 s headersTimeout, checked every 30 s).
 */
export const SERVER_TIMEOUTS = {
  /** Request line and headers complete within 10 s. */
  headersTimeout: 10_000,
  /** The whole request, body included (the collector's own body timer, 10 s by default, answers first). */
  requestTimeout: 30_000,
  /** An idle keep-alive connection is closed after 5 s. */
  keepAliveTimeout: 5_000,
  /** How often the two timeouts above are checked (Node's default of 30 s adds up to 30 s to each). */
  connectionsCheckingInterval: 1_000,
} as const satisfies ServerOptions;

/** Generous: browsers open at most 6 connections per site, and an office shares one IP. */
export const MAX_CONNECTIONS_PER_IP = 128;

/** How long a connection over the cap is kept waiting for the request it is to be refused on. */
const REFUSED_GRACE_MS = 2_000;

/**
 * Caps the connections one remote IP holds open on `server`. A request on a connection over the
 * cap is answered `503 {"error":"too_many_connections"}` with `Retry-After` and `Connection: close`
 * (a clear refusal, not a silent drop); such a connection that sends nothing is closed after 2 s.
 * The count is by TCP peer: behind a proxy every connection is the proxy's, so leave the cap off
 * there and let the proxy limit. Call it after the request handler is attached.
 */
export function limitConnectionsPerIp(server: Server, max: number = MAX_CONNECTIONS_PER_IP, log?: Logger): { open(ip: string): number } {
  if (!Number.isSafeInteger(max) || max < 1) throw new Error(`maxConnectionsPerIp: ${String(max)} is not a whole number ≥ 1`);
  const open = new Map<string, number>();
  const overCap = new WeakSet<Socket>();

  server.prependListener('connection', (socket: Socket) => {
    const ip = socket.remoteAddress ?? 'unknown';
    // An IPv6 client counts by its /64, in which it may open connections from any address.
    const group = addressGroup(ip);
    const count = open.get(group) ?? 0;
    if (count >= max) {
      overCap.add(socket);
      socket.setTimeout(REFUSED_GRACE_MS, () => socket.destroy());
      log?.({ level: 'warn', msg: 'connection_refused', reason: 'too_many_connections', ip, open: count, max });
      return;
    }
    open.set(group, count + 1);
    socket.once('close', () => {
      const left = (open.get(group) ?? 1) - 1;
      if (left > 0) open.set(group, left);
      else open.delete(group); // the map holds only addresses with open connections
    });
  });

  // Requests on a connection over the cap never reach the handlers.
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (overCap.has(req.socket)) {
      req.resume();
      sendError(res, 503, 'too_many_connections', { limit: max }, { 'retry-after': '5', connection: 'close' });
      return;
    }
    for (const handler of handlers) handler.call(server, req, res);
  });
  return { open: (ip) => open.get(addressGroup(ip)) ?? 0 };
}

/** `FEEDPULSE_MAX_CONNECTIONS_PER_IP`: a whole number ≥ 1, or `off`; unset → undefined (the caller's default). */
export function parseMaxConnectionsEnv(value: string | undefined): number | false | undefined {
  if (!value?.trim()) return undefined;
  if (/^off$/i.test(value.trim())) return false;
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`FEEDPULSE_MAX_CONNECTIONS_PER_IP: "${value}" is not a whole number of connections ≥ 1, or off`);
  return n;
}
