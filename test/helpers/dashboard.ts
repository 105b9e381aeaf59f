// A demo server (embedded log in a temp folder, no rate limit) and a Chromium for one describe block
// of dashboard tests: started before its tests, closed and removed after them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startFeedpulseServer, type FeedpulseServer } from '../../src/consumer/index';
import { launchChromium } from './browser';

export interface DashboardFixture { browser: Browser; server: FeedpulseServer }

/** Call inside `describe`; the returned object is filled in by its beforeAll. */
export function useDashboard(dirPrefix: string): DashboardFixture {
  const fixture = {} as DashboardFixture;
  let dataDir = '';
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), dirPrefix));
    fixture.server = await startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir, collector: { log: false, rateLimit: false } }, {});
    fixture.browser = await launchChromium();
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  return fixture;
}
