// CORS: which origins may post. `text/plain` beacons are simple requests (no preflight);
// `application/json` and custom headers (x-feedpulse-key) get a preflight answered here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from './respond.js';

export type AllowedOrigins = '*' | string[];

/** True when the request carries no Origin (server to server) or an allowed one. */
export function originAllowed(req: IncomingMessage, allowed: AllowedOrigins): boolean {
  const origin = req.headers.origin;
  if (!origin || allowed === '*') return true;
  return allowed.includes(origin);
}

export function setCorsHeaders(req: IncomingMessage, res: ServerResponse, allowed: AllowedOrigins): void {
  // With a list, every answer (also a 403, also one to a request without Origin) depends on the
  // Origin header: a shared cache must not hand one origin's answer to another.
  if (allowed !== '*') res.setHeader('vary', 'Origin');
  const origin = req.headers.origin;
  if (!origin || !originAllowed(req, allowed)) return;
  res.setHeader('access-control-allow-origin', allowed === '*' ? '*' : origin);
  res.setHeader('access-control-expose-headers', 'retry-after');
}

/**
 * The 403 for an origin not allowed names that origin in Access-Control-Allow-Origin, so the page
 * (and the SDK) can read `{error, message}` instead of an opaque network error. This grants that
 * origin nothing: the answer is a fixed refusal with no credentials allowed (no
 * Allow-Credentials) and nothing stored; a refused preflight also fails on its 403 status, so the
 * browser never sends the request it was asking about, and no methods or headers are allowed.
 * Origin checks do not stop non-browser clients anyway (they send any Origin they like).
 */
export function refuseOrigin(req: IncomingMessage, res: ServerResponse, headers: Record<string, string> = {}): void {
  res.setHeader('vary', 'Origin');
  const origin = req.headers.origin;
  if (origin) res.setHeader('access-control-allow-origin', origin);
  sendError(res, 403, 'origin_not_allowed', {}, headers);
}

/** Answers a preflight; false when its origin was refused (the caller logs and counts that). */
export function answerPreflight(req: IncomingMessage, res: ServerResponse, allowed: AllowedOrigins): boolean {
  if (!originAllowed(req, allowed)) {
    refuseOrigin(req, res);
    return false;
  }
  setCorsHeaders(req, res, allowed);
  res.writeHead(204, {
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': 'content-type, content-encoding, x-feedpulse-key',
    'access-control-max-age': '86400',
    'content-length': '0',
  });
  res.end();
  return true;
}
