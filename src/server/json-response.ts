// Writing JSON answers, for the collector's routes and the dashboard's.
import type { ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    // Read as JSON only, never sniffed as HTML (an answer may echo request text, e.g. JSON.parse's detail).
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
}
