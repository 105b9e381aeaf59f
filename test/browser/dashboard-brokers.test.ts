// The dashboard flow with FEEDPULSE_BROKER set to the machine's RabbitMQ and to its NATS: feedback
// posted to the collector goes through the broker to the consumer and shows on the open dashboard
// without a reload; a critical one shows once in the alert list. Skips, saying why, when a broker
// is not running. Each run has its own exchange / stream, deleted afterwards (test/helpers/brokers.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nanoid } from 'nanoid';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedpulseServer } from '../../src/consumer/index';
import { BROKERS } from '../helpers/brokers';
import { hasChromium, launchChromium } from '../helpers/browser';
import { ratingEvent, postEvents, reachable } from '../helpers/consumer';

const reachableBrokers = new Map<string, boolean>();
for (const broker of BROKERS) reachableBrokers.set(broker.name, await reachable(broker.port));

describe.skipIf(!hasChromium)('dashboard through a broker (Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launchChromium(); });
  afterAll(async () => { await browser?.close(); });

  for (const broker of BROKERS) {
    const up = reachableBrokers.get(broker.name) ?? false;
    it.skipIf(!up)(`${broker.name}: feedback shows live, a critical one alerts once${up ? '' : ` — skipped: nothing listens on 127.0.0.1:${broker.port}`}`, async () => {
      const project = `fpd${nanoid(8).replace(/[^A-Za-z0-9]/g, 'x')}`;
      const dataDir = await mkdtemp(join(tmpdir(), 'fp-dash-broker-'));
      const server = await startFeedpulseServer({
        port: 0, host: '127.0.0.1', dataDir, broker: broker.url, source: broker.source(project),
        collector: { log: false, rateLimit: false, sinkOptions: broker.sinkOptions(project) },
      }, {});
      try {
        expect(server.consumer!.source.kind).toBe(broker.url.startsWith('amqp') ? 'amqp' : 'nats');
        const page = await browser.newPage();
        await page.goto(`${server.url}/dashboard`);
        await page.locator('#conn-text', { hasText: 'live' }).waitFor();
        const happy = ratingEvent(project, 5, { comment: `Via ${broker.name}` });
        const angry = ratingEvent(project, 1, { comment: 'Broken and I want a refund' });
        await postEvents(`${server.url}/v1/events`, [happy, angry]);
        await page.locator(`#comments li[data-id="${happy.id}"]`).waitFor({ timeout: 15_000 });
        await page.locator(`#alerts li[data-id="${angry.id}"]`).waitFor({ timeout: 15_000 });
        expect(await page.locator('#alerts li[data-id]').count()).toBe(1);
        expect(await page.locator('#source').textContent()).toContain(broker.name.split(' ')[0] === 'RabbitMQ' ? 'RabbitMQ' : 'JetStream');
        await page.close();
      } finally {
        await server.close();
        await broker.cleanup(project).catch(() => undefined);
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  }
});
