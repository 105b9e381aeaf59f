// Server-side enrichment: user-agent family and country from CDN headers.
import type { IncomingHttpHeaders } from 'node:http';

const FAMILIES: [RegExp, string][] = [
  [/bot|crawl|spider|slurp|headless|lighthouse/i, 'bot'],
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bChrome\/|\bCriOS\/|\bChromium\//, 'Chrome'],
  [/\bSafari\//, 'Safari'],
  [/^curl\//, 'curl'],
  [/^node|undici|^axios|^got\b/i, 'node'],
];

export function uaFamily(userAgent: string | undefined): string | undefined {
  if (!userAgent) return undefined;
  for (const [pattern, family] of FAMILIES) if (pattern.test(userAgent)) return family;
  return 'other';
}

const COUNTRY_HEADERS = ['cf-ipcountry', 'x-vercel-ip-country', 'cloudfront-viewer-country', 'x-appengine-country', 'x-country-code'];

export function countryOf(headers: IncomingHttpHeaders): string | undefined {
  for (const name of COUNTRY_HEADERS) {
    const value = headers[name];
    const code = (Array.isArray(value) ? value[0] : value)?.trim().toUpperCase();
    // XX = unknown, T1 = Tor (Cloudflare conventions)
    if (code && /^[A-Z]{2}$/.test(code) && code !== 'XX' && code !== 'T1') return code;
  }
  return undefined;
}
