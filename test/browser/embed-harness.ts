// Shared bits for the script-tag tests: a shop-like page with the bundle's <script> tag built from
// data attributes, and a collector of the console warnings and page errors it causes.
import type { ConsoleMessage, Page } from 'playwright-core';

export const BUNDLE = '/dist/feedpulse.min.js';

const escapeAttr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** `<script src=… data-…>` from a map of attribute names (without `data-`) to values. */
export function scriptTag(attrs: Record<string, string | undefined>, extra = 'async'): string {
  const list = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => (v === '' ? ` data-${k}` : ` data-${k}="${escapeAttr(v as string)}"`))
    .join('');
  return `<script src="${BUNDLE}" ${extra}${list}></script>`;
}

/** A small shop page; `tall` adds a 5000 px spacer (an inline style: leave it out under a strict CSP). */
export function shopPage(head: string, body = '', tall = true): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test shop</title>${head}</head>
<body><main><h1>Test shop</h1><button id="buy" class="buy">Add to cart</button>
<a id="help" class="give-feedback" href="#feedback">Tell us what you think</a>
${tall ? '<div style="height:5000px"></div>' : ''}</main>${body}</body></html>`;
}

export interface PageWatch {
  warnings: string[];
  errors: string[];
}

/** Records console warnings and uncaught page errors from now on. */
export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { warnings: [], errors: [] };
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() === 'warning') watch.warnings.push(msg.text());
  });
  page.on('pageerror', (error) => watch.errors.push(String(error)));
  return watch;
}

/** Resolves once the bundle has run: window.feedpulse exists (stub or client). */
export const started = (page: Page) => page.waitForFunction(() => typeof (window as { feedpulse?: unknown }).feedpulse === 'object');
