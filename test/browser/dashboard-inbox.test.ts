// The responses inbox in Chromium, as a person uses it: the table lists responses newest first,
// the search and filters narrow it and the count is announced, a status and tags are changed and kept,
// "Load more" pages on, and the CSV export downloads what the filter shows. No axe violations (light,
// dark, 320 px wide) and no console errors under the dashboard's strict CSP.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from '../helpers/browser';
import { DATABASES, type TestDatabase } from '../helpers/database';
import { insertResponses, type TestResponse } from '../helpers/responses';
import type { Database } from '../../src/consumer/db/database';
import { startFeedpulseServer, type FeedpulseServer } from '../../src/consumer/index';
import { ratingEvent, postEvents } from '../helpers/consumer';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const MIN = 60_000;

describe.skipIf(!hasChromium)('responses inbox (Chromium)', () => {
  let test: TestDatabase;
  let db: Database;
  let server: FeedpulseServer;
  let browser: Browser;
  let dataDir: string;
  const now = Date.now();
  const rows: TestResponse[] = [
    { id: 'b1', project: 'shop', at: new Date(now - MIN), scale: 'stars', score: 1, comment: 'Refund still missing <img src=x onerror=alert(1)>', path: '/checkout', language: 'en', sentiment: -2, anonymousId: 'anon-1' },
    { id: 'b2', project: 'shop', at: new Date(now - 2 * MIN), scale: 'stars', score: 5, comment: 'Lovely fast delivery', path: '/product/1', language: 'en', sentiment: 3, anonymousId: 'anon-2' },
    { id: 'b3', project: 'blog', at: new Date(now - 3 * MIN), scale: 'nps', score: 3, comment: '=1+1 refund me', path: '/post', language: 'en', sentiment: -1, anonymousId: 'anon-3' },
    // 60 more without comments: more than one page.
    ...Array.from({ length: 60 }, (_, i): TestResponse => ({ id: `bulk-${String(i).padStart(2, '0')}`, project: 'shop', at: new Date(now - (10 + i) * MIN), scale: 'emoji', score: 4, path: '/', anonymousId: `anon-b${i}` })),
  ];

  beforeAll(async () => {
    test = await DATABASES[0]!.create('inbox_browser');
    dataDir = await mkdtemp(join(tmpdir(), 'fp-inbox-browser-'));
    [browser, server] = await Promise.all([
      launchChromium(),
      startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir, database: { url: test.choice.url, schema: test.choice.schema }, collector: { log: false, rateLimit: false } }, {}),
    ]);
    db = server.db;
    await insertResponses(db, rows);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await test?.cleanup();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function open(options: { colorScheme?: 'light' | 'dark'; width?: number } = {}): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ acceptDownloads: true, colorScheme: options.colorScheme ?? 'light', viewport: { width: options.width ?? 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`${server.url}/dashboard`);
    await page.locator('#inbox-count', { hasText: /match/ }).waitFor({ timeout: 15_000 });
    return { page, problems };
  }
  const comments = (page: Page) => page.locator('#inbox-rows .inbox-comment').allTextContents();
  const violations = async (page: Page) => (await new AxeBuilder({ page }).include('#inbox').withTags(TAGS).analyze()).violations
    .map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(' | ')}`);

  it('lists, searches, filters, triages, pages and exports', async () => {
    const { page, problems } = await open();
    const inbox = page.locator('#inbox');
    expect(await page.locator('#inbox-count').textContent()).toBe('63 responses match; showing 50.');
    expect(await page.locator('#inbox-rows tr').count()).toBe(50);
    // Visitor text is text: the <img> in a comment is shown, not made.
    expect((await comments(page))[0]).toBe('Refund still missing <img src=x onerror=alert(1)>');
    expect(await page.locator('#inbox-rows img').count()).toBe(0);

    // Load more: the other 13.
    await inbox.getByRole('button', { name: 'Load more' }).click();
    await page.locator('#inbox-count', { hasText: 'showing 63' }).waitFor();
    expect(await inbox.getByRole('button', { name: 'Load more' }).isHidden()).toBe(true);

    // Search by typing and Enter, as a person does.
    await inbox.getByLabel('Search comments').fill('refund');
    await inbox.getByLabel('Search comments').press('Enter');
    await page.locator('#inbox-count', { hasText: '2 responses match' }).waitFor();
    expect(await comments(page)).toEqual(['Refund still missing <img src=x onerror=alert(1)>', '=1+1 refund me']);
    await inbox.getByLabel('Scale').selectOption('nps');
    await inbox.getByRole('button', { name: 'Apply filters' }).click();
    await page.locator('#inbox-count', { hasText: '1 response match' }).waitFor();
    expect(await comments(page)).toEqual(['=1+1 refund me']);

    // Status and tags of that row, saved and kept.
    const row = page.locator('#inbox-rows tr').first();
    await row.getByLabel(/^Status of/).selectOption('resolved');
    await page.locator('#announce', { hasText: 'Status resolved saved.' }).waitFor();
    await row.getByLabel(/^Tags of/).fill('refund, vip');
    await row.getByLabel(/^Tags of/).press('Enter');
    await page.locator('#announce', { hasText: 'Tags saved.' }).waitFor();
    const [kept] = await db.query<{ status: string; tags: string[] }>(`SELECT status, tags FROM fp_responses WHERE id = 'b3'`);
    expect(kept).toEqual({ status: 'resolved', tags: ['refund', 'vip'] });
    // A bad tag is refused with the server's reason and the field goes back.
    await row.getByLabel(/^Tags of/).fill('<script>');
    await row.getByLabel(/^Tags of/).press('Enter');
    await page.locator('#announce', { hasText: 'Tags not saved' }).waitFor();
    expect(await row.getByLabel(/^Tags of/).inputValue()).toBe('refund, vip');

    // The status filter finds it; the export carries the filters and downloads that one row.
    await inbox.getByLabel('Scale').selectOption('');
    await inbox.getByLabel('Status', { exact: true }).selectOption('resolved');
    await inbox.getByRole('button', { name: 'Apply filters' }).click();
    await page.locator('#inbox-count', { hasText: '1 response match' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), inbox.getByRole('link', { name: 'CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^feedpulse-responses-.*\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,'=1+1 refund me,`);
    expect(lines[1]).toContain(',resolved,refund;vip');

    // Clear brings every response back.
    await inbox.getByRole('button', { name: 'Clear' }).click();
    await page.locator('#inbox-count', { hasText: '63 responses match' }).waitFor();
    // The one failed request is the refused tag's 400.
    expect(problems).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await page.context().close();
  });

  it('follows the dashboard project filter', async () => {
    // The project list fills from the live figures: one event of blog through the collector and consumer.
    await postEvents(`${server.url}/v1/events`, [ratingEvent('blog', 3)]);
    const { page } = await open();
    await page.locator('#project option[value="blog"]').waitFor({ state: 'attached', timeout: 15_000 });
    await page.getByLabel('Project', { exact: true }).selectOption('blog');
    // b3 and the event just posted, which the consumer stored in the inbox too (no comment).
    await page.locator('#inbox-count', { hasText: '2 responses match' }).waitFor();
    expect(await comments(page)).toEqual(['=1+1 refund me']);
    const csv = await page.locator('#inbox-export-csv').getAttribute('href');
    expect(new URLSearchParams(csv!.split('?')[1]).get('project')).toBe('blog');
    await page.context().close();
  });

  it('no axe violations in the inbox, light and dark, and none at 320 px without sideways scrolling', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [1280, 320]) {
        const { page } = await open({ colorScheme, width });
        expect(await violations(page), `${colorScheme} ${width}`).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        // Keyboard: Tab reaches the search box and the table region.
        await page.locator('#inbox-q').focus();
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('inbox-q');
        await page.context().close();
      }
    }
  }, 120_000);
});
