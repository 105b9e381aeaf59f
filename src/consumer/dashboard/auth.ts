// FEEDPULSE_DASHBOARD_TOKEN: when set, every /dashboard request needs it, as ?token=, an
// `Authorization: Bearer` header, or the cookie set after the first ?token= visit.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'fp_dashboard';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
/** Constant-time comparison (hashing first makes the lengths equal). */
export const sameToken = (given: string, expected: string): boolean => timingSafeEqual(digest(given), digest(expected));

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

/** How the request proved the token, or null when it did not. */
export function checkToken(req: IncomingMessage, url: URL, expected: string | undefined): TokenSource | null {
  if (!expected) return 'none-required';
  const query = url.searchParams.get('token');
  if (query !== null) return sameToken(query, expected) ? 'query' : null;
  // The scheme name is case-insensitive (RFC 9110 §11.1): `bearer x` is as good as `Bearer x`.
  const bearer = /^bearer +(.*)$/i.exec(req.headers.authorization ?? '');
  if (bearer) return sameToken(bearer[1].trim(), expected) ? 'header' : null;
  const cookie = cookieValue(req, TOKEN_COOKIE);
  if (cookie !== undefined) return sameToken(cookie, expected) ? 'cookie' : null;
  return null;
}

export const tokenCookie = (token: string): string =>
  `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/dashboard; HttpOnly; SameSite=Strict`;
