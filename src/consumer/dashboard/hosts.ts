// DNS rebinding: a page on evil.example can make its own name resolve to 127.0.0.1 and then read
// the dashboard as same-origin. Its requests still carry `Host: evil.example`, so /dashboard* answers
// only to names that are this server's: loopback names, an IP address (a page can only be same-origin
// with an IP address by being served from it), the bound host, and FEEDPULSE_PUBLIC_URL's host.
// A request with an Origin (a POST, or fetch from a script) must come from the same origin as its Host.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export type HostCheck = (req: IncomingMessage) => string | undefined;

/** `host:port` → host, without the brackets of an IPv6 literal; lower case. */
function hostnameOf(authority: string): string {
  const h = authority.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.lastIndexOf(':');
  return colon > 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

const isLoopbackName = (name: string): boolean => name === 'localhost' || name.endsWith('.localhost');

/** A checker for the bound host and the public URL; returns why a request is refused. */
export function createHostCheck(boundHost: string, publicUrl?: string): HostCheck {
  const publicAddress = publicUrl ? new URL(publicUrl) : undefined;
  const own = new Set([boundHost, publicAddress?.host].filter((n): n is string => !!n).map(hostnameOf));
  const allowed = (name: string) => isLoopbackName(name) || isIP(name) !== 0 || own.has(name);
  return (req) => {
    const host = req.headers.host;
    if (!host) return 'a Host header is required';
    if (!allowed(hostnameOf(host))) return `the dashboard does not answer to the host name "${hostnameOf(host).slice(0, 100)}" (set FEEDPULSE_PUBLIC_URL to the address it is served under)`;
    const origin = req.headers.origin;
    if (origin === undefined) return undefined;
    let originHost: string;
    try { originHost = new URL(origin).host; } catch { return 'the Origin header is not a URL'; }
    // Behind a proxy that sets its own Host, the browser's origin is the public URL's.
    if (originHost.toLowerCase() !== host.trim().toLowerCase() && new URL(origin).origin !== publicAddress?.origin) return 'requests from other origins are refused';
    return undefined;
  };
}
