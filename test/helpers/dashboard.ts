// A demo server (embedded log in a temp folder; by default no request log and no rate limit) and a
// Chromium for one describe block of browser tests on the demo server: started before its tests,
// closed and removed after them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startFeedpulseServer, type FeedpulseServer, type FeedpulseServerOptions } from '../../src/consumer/index';
import { launchChromium } from './browser';

export interface DashboardFixture { browser: Browser; server: FeedpulseServer }

/** Call inside `describe`; the returned object is filled in by its beforeAll. */
export function useDashboard(
  dirPrefix: string,
  serverOptions: Omit<FeedpulseServerOptions, 'port' | 'host' | 'dataDir'> = { collector: { log: false, rateLimit: false } },
  env: NodeJS.ProcessEnv = {},
): DashboardFixture {
  const fixture = {} as DashboardFixture;
  let dataDir = '';
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), dirPrefix));
    [fixture.browser, fixture.server] = await Promise.all([
      launchChromium(),
      startFeedpulseServer({ ...serverOptions, port: 0, host: '127.0.0.1', dataDir }, env),
    ]);
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  return fixture;
}
