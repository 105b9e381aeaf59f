// Shared set-up for the widget browser tests: a shop page (optionally under a strict CSP, with host
// CSS) that loads the real npm build (/dist/index.js) through test/fixtures/widget-page.js and calls
// init() with a JSON config; helpers to read focus and the feedback events the endpoint received.
import { existsSync } from 'node:fs';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { TestEndpoint } from '../helpers/endpoint';
import type { Batch, FeedbackData, FeedpulseEvent } from '../../src/core/types';
import type { InitConfig } from '../../src/widget/config';

export const widgetBuilt = existsSync('dist/index.js');
export const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'";

export interface PageOptions {
  csp?: boolean;
  /** Extra <head> markup (same-origin stylesheets only under the CSP). */
  head?: string;
  body?: string;
  context?: BrowserContextOptions;
  /** Runs before the page loads (e.g. to remove adoptedStyleSheets). */
  initScript?: () => void;
  /** Wait for <feedpulse-widget> (default true). */
  waitForWidget?: boolean;
}

/** An init script that keeps every console.warn in window.warnings. */
export function keepWarnings() {
  (window as unknown as { warnings: string[] }).warnings = [];
  const warn = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    (window as unknown as { warnings: string[] }).warnings.push(args.join(' '));
    warn(...args);
  };
}
export const warningsOf = (page: Page) =>
  page.evaluate(() => (window as unknown as { warnings: string[] }).warnings.filter((w) => w.includes('feedpulse')));

let pageCount = 0;

export async function widgetPage(browser: Browser, ep: TestEndpoint, config: Partial<InitConfig>, options: PageOptions = {}): Promise<Page> {
  const path = `/widget-${++pageCount}.html`;
  ep.page(path, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>${options.head ?? ''}</head>
<body><h1>Shop</h1><button id="host-button" type="button">Host button</button>${options.body ?? ''}
<script type="module" src="/test/fixtures/widget-page.js"></script></body></html>`,
  options.csp === false ? {} : { 'content-security-policy': STRICT_CSP });
  const context = await browser.newContext({ reducedMotion: 'reduce', viewport: { width: 900, height: 700 }, ...options.context });
  const page = await context.newPage();
  if (options.initScript) await page.addInitScript(options.initScript);
  const cfg: Partial<InitConfig> = { endpoint: ep.url, project: 'widget-test', autocapture: 'off', pageviews: false, flushInterval: 50, ...config };
  await page.goto(`${ep.origin}${path}?cfg=${encodeURIComponent(JSON.stringify(cfg))}`);
  await page.waitForFunction(() => (window as unknown as { fpReady?: boolean }).fpReady);
  if (options.waitForWidget !== false) await page.waitForSelector('feedpulse-widget', { state: 'attached' });
  return page;
}

/** The focused element's accessible-ish name, looking through shadow roots. */
export function focused(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body) return null;
    return el.getAttribute('aria-label') ?? (el.tagName === 'TEXTAREA' ? 'textbox' : el.textContent?.trim() ?? el.tagName);
  });
}

export function feedbackReceived(ep: TestEndpoint): FeedbackData[] {
  return ep.received
    .flatMap((r) => ((r.json as Batch | undefined)?.events ?? []) as FeedpulseEvent[])
    .filter((e) => e.type === 'feedback')
    .map((e) => e.data as FeedbackData);
}

/** The radio names of each scale, in order, and the value each one stands for. */
export const SCALES = {
  stars: { names: ['1 star', '2 stars', '3 stars', '4 stars', '5 stars'], values: [1, 2, 3, 4, 5] },
  nps: { names: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'], values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
  thumbs: { names: ['Thumbs down', 'Thumbs up'], values: [0, 1] },
  emoji: { names: ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'], values: [1, 2, 3, 4, 5] },
} as const;
export type ScaleName = keyof typeof SCALES;
export const SCALE_NAMES = Object.keys(SCALES) as ScaleName[];

/** Pure white or black as a computed colour: `rgb()` from a plain colour, `lch()` from the accent-contrast rule. */
export const WHITE = ['rgb(255, 255, 255)', 'lch(100 0 0)'];
export const BLACK = ['rgb(0, 0, 0)', 'lch(0 0 0)'];
