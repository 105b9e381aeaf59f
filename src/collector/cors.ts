// CORS: which origins may post. `text/plain` beacons are simple requests (no preflight);
// `application/json` and custom headers (x-feedpulse-key) get a preflight answered here.
import type { IncomingMessage, ServerResponse } from 'node:http';

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

export function answerPreflight(req: IncomingMessage, res: ServerResponse, allowed: AllowedOrigins): void {
  setCorsHeaders(req, res, allowed);
  if (!originAllowed(req, allowed)) {
    res.writeHead(403, { 'content-type': 'application/json' }).end('{"error":"origin_not_allowed"}');
    return;
  }
  res.writeHead(204, {
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': 'content-type, content-encoding, x-feedpulse-key',
    'access-control-max-age': '86400',
    'content-length': '0',
  });
  res.end();
}
