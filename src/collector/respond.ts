// Writing JSON answers.
import type { ServerResponse } from 'node:http';
import { ERROR_MESSAGES } from './error-messages.js';

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

/** A refusal: `{ error: <code>, message: <what it means>, ...extra }` (extra may say more). */
export function sendError(res: ServerResponse, status: number, error: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): void {
  const message = Object.hasOwn(ERROR_MESSAGES, error) ? ERROR_MESSAGES[error] : error.replace(/_/g, ' ');
  sendJson(res, status, { error, message, ...extra }, headers);
}
