// Who a per-client limit counts: an IPv4 address, or an IPv6 address's /64. One IPv6 home or office
// network is a /64 and anyone on it may pick any of its 2^64 addresses, so counting whole IPv6
// addresses would give one client a fresh rate-limit bucket (and a fresh connection allowance) per
// request. An IPv4 client seen by a dual-stack socket (`::ffff:203.0.113.7`) counts as its IPv4 address.
import { isIPv6 } from 'node:net';

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** `ip` itself, or for IPv6 its first 64 bits as `2001:db8:0:1::/64`. Anything not an IPv6 address is returned as it is. */
export function addressGroup(ip: string): string {
  const bare = ip.split('%')[0] ?? ip; // a zone (fe80::1%eth0) names an interface, not a client
  if (!isIPv6(bare)) return ip;
  const mapped = MAPPED_V4.exec(bare);
  if (mapped) return mapped[1] as string;
  const [head, tail] = bare.split('::') as [string, string | undefined];
  const front = head ? head.split(':') : [];
  // Only the first four groups matter; those after `::` come into them when the head is short.
  const back = tail === undefined ? [] : tail ? tail.split(':') : [];
  const backGroups = back.reduce((n, part) => n + (part.includes('.') ? 2 : 1), 0);
  const groups = tail === undefined ? front : [...front, ...Array<string>(8 - front.length - backGroups).fill('0'), ...back];
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
