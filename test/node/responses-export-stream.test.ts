// The export streams: 20,000 rows leave in keyset batches as the client reads them. While the client
// does not read, the server stops querying (backpressure) instead of loading the rest into memory;
// once it reads, every row arrives once, in order.
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, type TestDatabase } from '../helpers/database';
import { insertManyResponses } from '../helpers/responses';
import type { Database, Queryable } from '../../src/consumer/db/database';
import { writeExport } from '../../src/consumer/responses/export';
import { parseResponsesFilter } from '../../src/consumer/responses/filters';

const ROWS = 20_000;
const BATCH = 500;

describe.each(DATABASES)('export streaming ($name)', (kind) => {
  let test: TestDatabase;
  let db: Database;
  let server: Server;
  let queries = 0;
  let finished: Promise<number> | undefined;
  beforeAll(async () => {
    test = await kind.create('inbox_stream');
    db = await test.open();
    // 2 KB comments: 40 MB in all, far more than the socket buffers between server and client.
    await insertManyResponses(db, { count: ROWS, commentBytes: 2000 });
    // The real database, with the queries it is sent counted.
    const counted: Queryable = { query: (sql, params) => { queries++; return db.query(sql, params); }, exec: (sql) => db.exec(sql) };
    server = createServer((_req, res) => {
      const parsed = parseResponsesFilter(new URLSearchParams('project=bulk'));
      if (!parsed.ok) throw new Error(parsed.message);
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      finished = writeExport(res, counted, parsed.filter, 'ndjson', BATCH);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    // 40 MB into the database: longer than the default hook time on a busy 2-core machine.
  }, 180_000);
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await db?.close();
    await test?.cleanup();
  });

  it('waits for a slow reader, then sends every row once', { timeout: 120_000 }, async () => {
    const res = await new Promise<IncomingMessage>((resolve) => get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, resolve));
    res.pause();
    await new Promise((r) => setTimeout(r, 1500));
    const whilePaused = queries;
    const batches = Math.ceil(ROWS / BATCH);
    expect(whilePaused).toBeGreaterThan(0);
    // Blocked on 'drain' after the buffers filled: most batches not yet read from the database.
    expect(whilePaused).toBeLessThan(batches / 2);
    // How far the server's reads from the database run ahead of what the client has: bounded by the
    // socket buffers and one batch, whatever the size of the export.
    let maxAhead = 0;

    let buffered = '';
    let count = 0;
    let previous = '';
    let ordered = true;
    for await (const chunk of res) {
      buffered += (chunk as Buffer).toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const { at } = JSON.parse(line) as { at: string };
        if (previous && at >= previous) ordered = false;
        previous = at;
        count++;
      }
      maxAhead = Math.max(maxAhead, queries * BATCH - count);
    }
    expect(await finished).toBe(ROWS);
    expect(count).toBe(ROWS);
    expect(ordered).toBe(true);
    // One query per batch and one that finds the end.
    // One query per batch (the last finds the end by asking for one row more than a batch).
    expect(queries).toBe(batches);
    expect(maxAhead).toBeLessThan(ROWS / 2);
  });
});
