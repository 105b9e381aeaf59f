// Checking configured numbers and origins. A value that is set but wrong stops the start with a
// message naming the variable, the value and what is allowed: falling back to the default hid typos
// (FEEDPULSE_BODY_LIMIT=1mb ran with 1 MiB, FEEDPULSE_ORIGINS=shop.example refused every browser).
import type { AllowedOrigins } from './cors.js';

/** An env value read as a whole number: undefined when unset or blank, NaN unless digits only. */
export function envWholeNumber(value: string | undefined): number | undefined {
  if (!value?.trim()) return undefined;
  return /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
}

/** An env value that must be a whole number ≥ 1; unset or blank → undefined (the default applies). */
export function wholeNumberEnv(name: string, value: string | undefined, unit: string): number | undefined {
  const n = envWholeNumber(value);
  if (n === undefined) return undefined;
  if (!(n >= 1) || !Number.isSafeInteger(n)) throw new Error(`${name}: "${value}" is not a whole number of ${unit} ≥ 1`);
  return n;
}

const ON = /^(1|true|yes|on)$/i;
const OFF = /^(0|false|no|off)$/i;

/**
 * An on/off variable: 1/true/yes/on or 0/false/no/off in any case; unset or blank → undefined. Any
 * other word stops the start: FEEDPULSE_TRUST_PROXY=enabled read as off would rate-limit every
 * visitor behind the proxy as one client, with nothing saying why.
 */
export function onOffEnv(name: string, value: string | undefined): boolean | undefined {
  const text = value?.trim() ?? '';
  if (!text) return undefined;
  if (ON.test(text)) return true;
  if (OFF.test(text)) return false;
  throw new Error(`${name}: "${text.slice(0, 40)}" is neither on nor off (use 1, true, yes, on or 0, false, no, off)`);
}

/** A code option that must be a number > 0 (undefined: the env or default applies). */
export function positiveOption(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw new Error(`${name}: ${String(value)} is not a number > 0`);
  return value;
}

/** A code option that must be a whole number ≥ 1 (a count of bytes or events). */
export function wholeNumberOption(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new Error(`${name}: ${String(value)} is not a whole number ≥ 1`);
  return value;
}

/** A code option that must be a finite number ≥ 0 (0 is meaningful, e.g. "no tolerance"). */
export function nonNegativeOption(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) throw new Error(`${name}: ${String(value)} is not a number ≥ 0`);
  return value;
}

export function booleanOption(name: string, value: boolean | undefined): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw new Error(`${name}: expected true or false, got ${JSON.stringify(value)}`);
  return value;
}

/** A route path: `/segment[/segment…]` of URL-safe characters, no query, no trailing `/` (both `path` and `path/` are served). */
export function routePathOption(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^(\/[A-Za-z0-9._~-]+)+$/.test(value)) {
    throw new Error(`${name}: ${typeof value === 'string' ? JSON.stringify(value) : String(value)} is not a URL path (/segment[/segment…] of A–Z a–z 0–9 . _ ~ -, no trailing /, no query), e.g. /v1/events`);
  }
  return value;
}

const ORIGIN = /^([a-z][a-z0-9+.-]*):\/\/[^/?#\s@]+\/?$/i;

/**
 * One allowed origin as browsers send it in `Origin`: scheme://host[:port], lower case, no default
 * port, no path (a trailing `/` is dropped). Throws naming `name` for anything else.
 */
export function normalizeOrigin(name: string, entry: string): string {
  const match = ORIGIN.exec(entry);
  if (!match) throw new Error(`${name}: "${entry}" is not an origin (scheme://host[:port], e.g. https://shop.example), or * alone`);
  const scheme = match[1]!.toLowerCase();
  // http(s) origins are normalised the way browsers serialise them; other schemes (extensions) as written.
  if (scheme !== 'http' && scheme !== 'https') return entry.replace(/\/$/, '');
  try {
    return new URL(entry).origin;
  } catch {
    throw new Error(`${name}: "${entry}" is not an origin (scheme://host[:port], e.g. https://shop.example), or * alone`);
  }
}

/** `FEEDPULSE_ORIGINS`: `*` (or unset) for all, else a comma-separated list of origins. */
export function parseOriginsEnv(value: string | undefined): AllowedOrigins | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (trimmed === '*') return '*';
  const entries = trimmed.split(',').map((o) => o.trim()).filter(Boolean);
  if (entries.length === 0) throw new Error(`FEEDPULSE_ORIGINS: "${value}" names no origin (scheme://host[:port], comma-separated), or * alone`);
  return entries.map((entry) => normalizeOrigin('FEEDPULSE_ORIGINS', entry));
}

/** The `allowedOrigins` option: the same rules, so a list in code cannot silently never match. */
export function checkOriginsOption(value: AllowedOrigins | undefined): AllowedOrigins | undefined {
  if (value === undefined || value === '*') return value;
  if (!Array.isArray(value)) throw new Error('allowedOrigins: expected "*" or a list of origins');
  return value.map((entry) => normalizeOrigin('allowedOrigins', entry));
}

/** An http(s) URL (webhooks, public links); unset or blank → undefined. */
export function httpUrl(name: string, value: string | undefined): string | undefined {
  if (!value?.trim()) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value.trim());
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    // The URL may carry a secret (Slack webhook paths are one): show only its scheme.
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value.trim())?.[1];
    throw new Error(`${name}: ${scheme ? `a ${scheme}: URL` : 'not a URL'}; expected http:// or https://`);
  }
  return value.trim();
}

/** A bound that 0 turns off: a whole number ≥ 0 (a count or milliseconds). */
export function boundOption(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new Error(`${name}: ${String(value)} is not a whole number ≥ 0 (0: no bound)`);
  return value;
}

/** The env form of boundOption; unset or blank → undefined (the default applies). */
export function boundEnv(name: string, value: string | undefined, unit: string): number | undefined {
  const n = envWholeNumber(value);
  if (n === undefined) return undefined;
  if (!Number.isSafeInteger(n)) throw new Error(`${name}: "${value}" is not a whole number of ${unit} ≥ 0 (0: no bound)`);
  return n;
}
