// Shared set-up for the core delivery browser tests: a persistent Chromium profile (IndexedDB
// survives closing a page, like a real browser), the local test endpoint, and a page that loads
// the built headless SDK (/dist/core.js) and exposes a client on window.fp.
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser';
import { startEndpoint, type TestEndpoint, type Received } from './endpoint';
import type { ClientConfig, FeedpulseEvent } from '../../src/core/types';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const coreBuilt = existsSync(join(ROOT, 'dist/core.js'));

export interface Rig {
  ep: TestEndpoint;
  context: BrowserContext;
  close(): Promise<void>;
}

export async function startRig(): Promise<Rig> {
  const ep = await startEndpoint(ROOT);
  ep.page('/core.html', `<!doctype html><title>core test</title><script type="module">
    import { createClient } from '/dist/core.js';
    window.fpLog = [];
    window.fpStart = (config) => {
      window.fp = createClient(config);
      for (const name of ['sent', 'error', 'drop']) window.fp.on(name, (info) => window.fpLog.push({ name, ...info }));
    };
    window.fpReady = true;
  </script>`);
  ep.page('/elsewhere.html', '<!doctype html><title>elsewhere</title><p>another page');
  const dir = mkdtempSync(join(tmpdir(), 'fp-core-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS,
  });
  return {
    ep,
    context,
    async close() {
      await context.close().catch(() => {});
      await ep.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens the test page and creates a client with test-friendly defaults plus `config`. */
export async function openClient(rig: Rig, config: Partial<ClientConfig> = {}, page?: Page): Promise<Page> {
  page ??= await rig.context.newPage();
  await page.goto(rig.ep.origin + '/core.html');
  await page.waitForFunction(() => (window as unknown as { fpReady?: boolean }).fpReady);
  await page.evaluate((c) => (window as unknown as { fpStart(c: unknown): void }).fpStart(c), {
    endpoint: rig.ep.url, project: 'core-test', pageviews: false, autocapture: 'off', flushInterval: 50, ...config,
  });
  return page;
}

/** Events of every POST so far, in order (json and kafka-rest bodies). */
export function postedEvents(received: Received[]): FeedpulseEvent[] {
  return received.flatMap((r) => {
    const j = r.json as { events?: FeedpulseEvent[]; records?: { value: FeedpulseEvent }[] } | undefined;
    return j?.events ?? j?.records?.map((x) => x.value) ?? [];
  });
}

export const duplicates = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);
