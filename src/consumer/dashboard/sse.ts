// Server-sent events: a set of open /dashboard/stream responses, each sent every broadcast, with a
// comment line now and then so proxies keep the connection open. Each stream has a key (the
// dashboard's project filter, '' for all); a broadcast builds its data once per key in use.
// A stream that stops reading (a suspended laptop, a stalled proxy) would buffer every push in
// this process without bound; once more than `maxBufferedBytes` wait, it is cut instead. Nothing
// is lost: each push is a whole view, and EventSource reconnects and gets a fresh one.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface SseHub {
  add(req: IncomingMessage, res: ServerResponse, first?: { event: string; data: unknown }, key?: string): void;
  /** Sends `dataFor(key)` to the streams of each key. */
  broadcast(event: string, dataFor: (key: string) => unknown): void;
  size(): number;
  close(): void;
}

const frame = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export function createSseHub(heartbeatMs = 15_000, maxBufferedBytes = 4 * 1024 * 1024): SseHub {
  const clients = new Map<ServerResponse, string>();
  const send = (res: ServerResponse, text: string) => {
    if (res.writableLength > maxBufferedBytes) {
      clients.delete(res);
      res.destroy();
      return;
    }
    res.write(text);
  };
  const heartbeat = setInterval(() => { for (const res of clients.keys()) send(res, ': ping\n\n'); }, heartbeatMs);
  heartbeat.unref();

  return {
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
      const drop = () => { clients.delete(res); };
      req.on('close', drop);
      res.on('error', drop);
    },
    broadcast(event, dataFor) {
      const texts = new Map<string, string>();
      for (const [res, key] of clients) {
        let text = texts.get(key);
        if (text === undefined) texts.set(key, (text = frame(event, dataFor(key))));
        send(res, text);
      }
    },
    size: () => clients.size,
    close() {
      clearInterval(heartbeat);
      for (const res of clients.keys()) res.end();
      clients.clear();
    },
  };
}
