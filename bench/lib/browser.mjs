// Real Chromium (Debian's /usr/bin/chromium) with the same flags as test/helpers/browser.ts, plus a
// host-resolver rule so an SDK phoning home to its vendor fails at once instead of leaving the machine.
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = () => existsSync(CHROMIUM_PATH);

// Keep in step with test/helpers/browser.ts (a .ts file this plain-Node script cannot import).
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];
const BENCH_ARGS = [
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
  '--enable-precise-memory-info',
];

export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...BENCH_ARGS] });
}

/** Open a page and wait until its SDK adapter says it is ready (window.benchReady). */
export async function openBenchPage(context, url, timeout = 20_000) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.benchState === 'ready' || window.benchState === 'failed', null, { timeout });
  const state = await page.evaluate(() => ({ state: window.benchState, error: window.benchError }));
  if (state.state !== 'ready') throw new Error(`${url}: adapter failed: ${state.error ?? errors.join('; ')}`);
  return page;
}

/** The browser's own user agent with "HeadlessChrome" replaced by "Chrome" (see harness newContext). */
export async function visitorUserAgent(browser) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    return (await page.evaluate(() => navigator.userAgent)).replace('HeadlessChrome', 'Chrome');
  } finally { await context.close(); }
}
