// A worker process prunes what is past its retention (FEEDPULSE_RETENTION_DAYS) when it starts and
// hourly after: responses and event ids older than the setting go, newer ones stay; a process
// without the worker role deletes nothing. A bad setting stops the start with its name.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFeedpulseServer, type FeedpulseServer } from '../../src/consumer/index';
import { openDatabase } from '../../src/consumer/db/open';
import { writeBatch } from '../../src/consumer/db/write';
import type { ConsumedEvent } from '../../src/consumer/types';
import { DATABASES, type TestDatabase } from '../helpers/database';
import { waitFor } from '../helpers/wait';

const DAY = 86_400_000;
const rated = (id: string, daysAgo: number): ConsumedEvent => ({
  id, type: 'feedback', project: 'shop', anonymousId: `anon-${id}`, sessionId: 's', ts: new Date(Date.now() - daysAgo * DAY).toISOString(),
  page: { url: 'https://shop.example/', path: '/' }, data: { scale: 'stars', rating: 4 },
} as ConsumedEvent);

describe.each(DATABASES)('retention in the worker ($name)', (kind) => {
  let database: TestDatabase | undefined;
  let server: FeedpulseServer | undefined;
  let dataDir = '';
  afterEach(async () => {
    await server?.close();
    await database?.cleanup();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    server = undefined; database = undefined; dataDir = '';
  });

  const start = async (env: NodeJS.ProcessEnv) => {
    const options = { host: '127.0.0.1', port: 0, dataDir, collector: { log: false as const, rateLimit: false as const }, ...(database!.choice.url ? { database: { url: database!.choice.url, schema: database!.choice.schema } } : {}) };
    return startFeedpulseServer(options, env);
  };
  const responseIds = async (s: FeedpulseServer) => (await s.db.query<{ id: string }>('SELECT id FROM fp_responses ORDER BY id')).map((r) => r.id);

  it('deletes responses older than FEEDPULSE_RETENTION_DAYS at start; a dashboard-only process deletes nothing', async () => {
    database = await kind.create('retention');
    dataDir = await mkdtemp(join(tmpdir(), 'fp-retention-'));
    // Rows written before any server starts (the embedded database is one process's at a time);
    // the server's embedded database is FEEDPULSE_DATA/db.
    const seed = database.choice.url ? await database.open() : await openDatabase({ dataDir: join(dataDir, 'db') });
    await seed.transaction((tx) => writeBatch(tx, [rated('old', 40), rated('recent', 5), rated('today', 0)]));
    await seed.close();

    server = await start({ FEEDPULSE_ROLES: 'dashboard', FEEDPULSE_RETENTION_DAYS: '30' });
    expect(await responseIds(server)).toEqual(['old', 'recent', 'today']);
    await server.close();

    server = await start({ FEEDPULSE_ROLES: 'worker', FEEDPULSE_RETENTION_DAYS: '30' });
    await waitFor(async () => (await responseIds(server!)).length === 2, 10_000, 'the 40-day-old response to go');
    expect(await responseIds(server)).toEqual(['recent', 'today']);
  });

  it('a malformed FEEDPULSE_RETENTION_DAYS stops the start with its name', async () => {
    database = await kind.create('retentionbad');
    dataDir = await mkdtemp(join(tmpdir(), 'fp-retention-'));
    await expect(start({ FEEDPULSE_RETENTION_DAYS: 'ninety' })).rejects.toThrow(/FEEDPULSE_RETENTION_DAYS/);
  });
});
