// The demo shop at / posts its ratings from this server's own origin, to project `demo-shop`, with
// no write key unless its address carries one (/?key=…). With FEEDPULSE_ORIGINS or FEEDPULSE_KEYS
// set, the collector refuses it unless they allow it; these warnings say so at start, instead of
// a shop that silently stops counting.
import type { AllowedOrigins } from '../collector/cors';
import type { KeyMap } from '../collector/keys';

/** The project the demo shop writes (demo/widget-tag.js sets it). */
export const DEMO_SHOP_PROJECT = 'demo-shop';

export interface DemoShopSettings {
  allowedOrigins: AllowedOrigins;
  keys: KeyMap | undefined;
}

/**
 * What keeps the demo shop from posting, as sentences for the start banner (empty: it works).
 * `ownOrigins` are the origins the shop is opened from: the public URL when one is set, else the
 * address the server listens on.
 */
export function demoShopWarnings({ allowedOrigins, keys }: DemoShopSettings, ownOrigins: readonly string[]): string[] {
  const warnings: string[] = [];
  if (allowedOrigins !== '*') {
    const missing = ownOrigins.filter((origin) => !allowedOrigins.includes(origin));
    if (missing.length === ownOrigins.length) {
      warnings.push(`FEEDPULSE_ORIGINS does not list ${missing.join(' or ')}: the demo shop at / is refused (403). Add this server's origin to use the shop.`);
    }
  }
  if (keys) {
    const shopKey = Object.entries(keys).find(([, p]) => (Array.isArray(p) ? p : [p]).includes(DEMO_SHOP_PROJECT))?.[0];
    warnings.push(shopKey
      ? `FEEDPULSE_KEYS is set: open the demo shop as /?key=${encodeURIComponent(shopKey)} so its ratings carry the key.`
      : `FEEDPULSE_KEYS has no key for project ${DEMO_SHOP_PROJECT}: the demo shop at / is refused (401). Add one (e.g. demo:${DEMO_SHOP_PROJECT}) and open /?key=demo to use the shop.`);
  }
  return warnings;
}
