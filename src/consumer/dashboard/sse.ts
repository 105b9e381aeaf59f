// Server-sent events: a set of open /dashboard/stream responses, each sent every broadcast, with a
// comment line now and then so proxies keep the connection open. Each stream has a key (the
// dashboard's project filter, '' for all). A broadcast serialises each distinct data object once,
// however many streams get it, so streams sharing a view share one frame.
// A stream that stops reading (a suspended laptop, a stalled proxy) would buffer every push in
// this process without bound; once more than its share of the byte budget waits, it is cut
// instead. Nothing is lost: each push is a whole view, and EventSource reconnects and gets a fresh one.
// Streams are capped in total and per client address (each open stream costs memory and a write
// per push): a stream over a cap is refused with the reason, before anything is written.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface SseLimits {
  /** Open streams in all (default 200). */
  maxStreams?: number;
  /** Open streams per client address (default 20). */
  maxStreamsPerAddress?: number;
  /** Bytes that may wait for one stream (default 4 MB)… */
  maxBufferedBytes?: number;
  /** …and for all streams together (default 64 MB): with many streams each gets its share. */
  maxBufferedTotal?: number;
  /** The client address a stream counts against (default: the socket's; behind a trusted proxy, the forwarded one). */
  addressOf?: (req: IncomingMessage) => string;
}
export interface SseRefusal { status: 429 | 503; error: 'too_many_streams'; message: string }

export interface SseHub {
  /** Why a new stream from this request would be refused, or undefined when it may open. */
  refuse(req: IncomingMessage): SseRefusal | undefined;
  add(req: IncomingMessage, res: ServerResponse, first?: { event: string; data: unknown }, key?: string): void;
  /** Sends `dataFor(key)` to the streams of each key; nothing to those whose data is undefined. */
  broadcast(event: string, dataFor: (key: string) => unknown): void;
  /** The keys of the open streams. */
  keys(): Set<string>;
  size(): number;
  close(): void;
}

const frame = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
const socketAddress = (req: IncomingMessage): string => req.socket.remoteAddress ?? '';

/** `limitsOrMaxBuffered`: the limits, or (as before) the per-stream byte budget alone. */
export function createSseHub(heartbeatMs = 15_000, limitsOrMaxBuffered: number | SseLimits = {}): SseHub {
  const limits = typeof limitsOrMaxBuffered === 'number' ? { maxBufferedBytes: limitsOrMaxBuffered } : limitsOrMaxBuffered;
  const { maxStreams = 200, maxStreamsPerAddress = 20, maxBufferedBytes = 4 * 1024 * 1024, maxBufferedTotal = 64 * 1024 * 1024, addressOf = socketAddress } = limits;
  const clients = new Map<ServerResponse, string>();
  const perAddress = new Map<string, number>();
  const send = (res: ServerResponse, text: string | Buffer, budget: number) => {
    if (res.writableLength > budget) {
      clients.delete(res);
      res.destroy();
      return;
    }
    res.write(text);
  };
  const budget = () => Math.min(maxBufferedBytes, maxBufferedTotal / Math.max(1, clients.size));
  const heartbeat = setInterval(() => { const b = budget(); for (const res of clients.keys()) send(res, ': ping\n\n', b); }, heartbeatMs);
  heartbeat.unref();

  return {
    refuse(req) {
      if (clients.size >= maxStreams) {
        return { status: 503, error: 'too_many_streams', message: `The dashboard has ${maxStreams} live streams open, its limit; try again later.` };
      }
      if ((perAddress.get(addressOf(req)) ?? 0) >= maxStreamsPerAddress) {
        return { status: 429, error: 'too_many_streams', message: `${maxStreamsPerAddress} live streams are open from your address, its limit; close a dashboard tab.` };
      }
      return undefined;
    },
    add(req, res, first, key = '') {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.socket?.setNoDelay(true);
      res.write('retry: 1000\n\n');
      if (first) res.write(frame(first.event, first.data));
      clients.set(res, key);
      const address = addressOf(req);
      perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
      let dropped = false;
      const drop = () => {
        clients.delete(res);
        if (dropped) return;
        dropped = true;
        const left = (perAddress.get(address) ?? 1) - 1;
        if (left > 0) perAddress.set(address, left);
        else perAddress.delete(address);
      };
      req.on('close', drop);
      res.on('close', drop);
      res.on('error', drop);
    },
    broadcast(event, dataFor) {
      const dataByKey = new Map<string, unknown>();
      // Encoded once: a string written to 300 sockets would be UTF-8 encoded 300 times.
      const texts = new Map<unknown, Buffer>();
      const b = budget();
      for (const [res, key] of clients) {
        let data = dataByKey.get(key);
        if (!dataByKey.has(key)) dataByKey.set(key, (data = dataFor(key)));
        if (data === undefined) continue;
        let text = texts.get(data);
        if (text === undefined) texts.set(data, (text = Buffer.from(frame(event, data))));
        send(res, text, b);
      }
    },
    size: () => clients.size,
    keys: () => new Set(clients.values()),
    close() {
      clearInterval(heartbeat);
      for (const res of clients.keys()) res.end();
      clients.clear();
      perAddress.clear();
    },
  };
}
