// FEEDPULSE_DASHBOARD_TOKEN: when set, every /dashboard request (and /metrics) needs it, as an
// `Authorization: Bearer` header or the session cookie. The token in the address (?token=) is taken
// on the page only, to log in: it is traded at once for the cookie, so it never sits in the address
// of the stream or the JSON view (those end up in proxy logs).
import { createHmac, timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'fp_dashboard';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
/** Constant-time comparison (hashing first makes the lengths equal). */
export const sameToken = (given: string, expected: string): boolean => timingSafeEqual(digest(given), digest(expected));

/** The cookie holds a value derived from the token, not the token: it does not work as a Bearer token or ?token=. */
export const sessionValue = (token: string): string => createHmac('sha256', token).update('feedpulse dashboard session v1').digest('base64url');

export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try { return decodeURIComponent(part.slice(eq + 1).trim()); } catch { return undefined; }
    }
  }
  return undefined;
}

export type TokenSource = 'none-required' | 'query' | 'header' | 'cookie';

/** How the request proved the token, or null when it did not. `?token=` counts only with `allowQuery` (the page). */
export function checkToken(req: IncomingMessage, url: URL, expected: string | undefined, allowQuery = false): TokenSource | null {
  if (!expected) return 'none-required';
  const query = url.searchParams.get('token');
  if (query !== null && allowQuery) return sameToken(query, expected) ? 'query' : null;
  // The scheme name is case-insensitive (RFC 9110 §11.1): `bearer x` is as good as `Bearer x`.
  const bearer = /^bearer +(.*)$/i.exec(req.headers.authorization ?? '');
  if (bearer) return sameToken(bearer[1].trim(), expected) ? 'header' : null;
  const cookie = cookieValue(req, TOKEN_COOKIE);
  if (cookie !== undefined) return sameToken(cookie, sessionValue(expected)) ? 'cookie' : null;
  return null;
}

/** `secure`: the request came over https (directly, or through a proxy trusted to say so). */
export const tokenCookie = (token: string, secure: boolean): string =>
  `${TOKEN_COOKIE}=${sessionValue(token)}; Path=/dashboard; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;

/** https, seen on the socket or, behind a trusted proxy (FEEDPULSE_TRUST_PROXY), in X-Forwarded-Proto / Forwarded. */
export function cameOverHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  if (!trustProxy) return false;
  const proto = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim().toLowerCase();
  if (first) return first === 'https';
  return /(?:^|[;,\s])proto=("?)https\1(?:$|[;,\s])/i.test(req.headers.forwarded ?? '');
}
