// The export through the demo server's route, on both databases, with more rows than one keyset
// page: every row once, in the list's order, also where rows sharing a time straddle a page
// boundary; each page is read in index order (no page sorts the table, which made an export of N
// rows cost N²); the first bytes leave after the first page; and a client that goes away
// mid-export stops the reads and leaves the server well.
import { mkdtemp, rm } from 'node:fs/promises';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, type TestDatabase } from '../helpers/database';
import { filterOf, insertManyResponses } from '../helpers/responses';
import { waitFor } from '../helpers/wait';
import { startFeedpulseServer, type FeedpulseServer } from '../../src/consumer/index';
import { EXPORT_BATCH } from '../../src/consumer/responses/export';
import { pageQuery } from '../../src/consumer/responses/query';

const TOKEN = 'inbox-export-pages-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
/** Rows of project `ties`: seven share each time, so page boundaries fall inside a group of ties. */
const TIES = 2 * EXPORT_BATCH + 500;
/** Rows of project `big`: 4 KB comments, 32 MB in all, more than the socket buffers hold. */
const BIG = 8000;
/** Rows of project `small`: 40-byte comments, 20 batches that each fit in the socket buffers. */
const SMALL = 20 * EXPORT_BATCH;

describe.each(DATABASES)('export in keyset pages through the route ($name)', (kind) => {
  let test: TestDatabase;
  let server: FeedpulseServer;
  let dataDir: string;
  let queries = 0;
  const api = (path: string) => fetch(`${server.url}/dashboard/api/${path}`, { headers: auth });

  beforeAll(async () => {
    test = await kind.create('inbox_pages');
    dataDir = await mkdtemp(join(tmpdir(), 'fp-inbox-pages-'));
    server = await startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir, dashboardToken: TOKEN, database: { url: test.choice.url, schema: test.choice.schema }, collector: { log: false, rateLimit: false } }, {});
    const db = server.db;
    await db.query(
      `INSERT INTO fp_responses (id, project, at, received_at, scale, score, comment, path, anonymous_id)
       SELECT 'tie-' || lpad(n::text, 5, '0'), 'ties', timestamptz '2026-12-01T12:00:00Z' - (n / 7) * interval '1 second',
              now(), 'stars', 1 + n % 5, 'word ' || n, '/p', 'anon-' || (n % 50)
       FROM generate_series(1, $1::int) AS n`,
      [TIES],
    );
    await insertManyResponses(db, { count: BIG, project: 'big', prefix: 'big', commentBytes: 4000 });
    await insertManyResponses(db, { count: SMALL, project: 'small', prefix: 'small', commentBytes: 40 });
    // The server's own database object, with the queries the route sends it counted.
    const query = db.query.bind(db);
    db.query = <Row>(sql: string, params?: readonly unknown[]) => { queries++; return query<Row>(sql, params); };
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await test?.cleanup();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('CSV and NDJSON: every row once, newest first with ties by id, across page boundaries', { timeout: 60_000 }, async () => {
    const csv = await api('responses?format=csv&project=ties');
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).split('\r\n');
    expect(lines.shift()).toBe('id,project,at,receivedAt,scale,score,comment,path,url,language,sentiment,anonymousId,userId,sessionId,status,tags');
    expect(lines.pop()).toBe('');
    const fromCsv = lines.map((line) => { const [id, , at] = line.split(','); return { id: id!, at: at! }; });
    const ndjson = await api('responses?format=ndjson&project=ties');
    const fromNdjson = (await ndjson.text()).trim().split('\n').map((line) => JSON.parse(line) as { id: string; at: string });

    for (const rows of [fromCsv, fromNdjson]) {
      expect(rows).toHaveLength(TIES);
      expect(new Set(rows.map((r) => r.id)).size).toBe(TIES);
      // ISO times of one width and ids of one width compare as text the way the database orders them.
      const misordered = rows.findIndex((r, i) => i > 0 && !(r.at < rows[i - 1]!.at || (r.at === rows[i - 1]!.at && r.id < rows[i - 1]!.id)));
      expect(misordered).toBe(-1);
    }
    expect(fromNdjson.map((r) => [r.id, r.at])).toEqual(fromCsv.map((r) => [r.id, r.at]));
    expect(fromCsv[0]).toEqual({ id: 'tie-00006', at: '2026-12-01T12:00:00.000000Z' });
    expect(fromCsv.slice(-2).map((r) => r.id)).toEqual(['tie-02500', 'tie-02499']);
    // The JSON list's pages give the same sequence.
    const listed: string[] = [];
    let cursor = '';
    do {
      const page = await (await api(`responses?project=ties&limit=500${cursor ? `&cursor=${cursor}` : ''}`)).json() as { responses: { id: string }[]; next: string | null };
      listed.push(...page.responses.map((r) => r.id));
      cursor = page.next ?? '';
    } while (cursor);
    expect(listed).toEqual(fromCsv.map((r) => r.id));
  });

  it('a page is read in index order: no plan sorts, with or without a filter', async () => {
    const deep = { atMicros: Date.parse('2026-12-01T11:55:00Z') * 1000, id: 'tie-02100' };
    for (const query of ['', 'project=ties', 'project=big&min=2']) {
      const { sql, params } = pageQuery(filterOf(query), deep, EXPORT_BATCH + 1);
      const plan = await server.db.transaction(async (tx) => {
        // Sorting made as dear as it gets: a plan still sorts only when no index gives the order.
        await tx.query('SET LOCAL enable_sort = off');
        return (await tx.query<Record<string, string>>(`EXPLAIN ${sql}`, params)).map((row) => Object.values(row)[0]).join('\n');
      });
      expect(plan, query).not.toMatch(/Sort/);
      expect(plan, query).toMatch(/Index Scan/);
    }
  });

  it('the first bytes leave after the first batch, not once the socket buffers are full', { timeout: 60_000 }, async () => {
    const before = queries;
    let atFirstByte = -1;
    await new Promise<void>((resolve, reject) => {
      const req = get(`${server.url}/dashboard/api/responses?format=ndjson&project=small`, { headers: auth }, (res) => {
        res.once('data', () => { atFirstByte = queries - before; req.destroy(); resolve(); });
      });
      req.on('error', reject);
    });
    // The batch just written, and at most the next one already asked for.
    expect(atFirstByte).toBeGreaterThan(0);
    expect(atFirstByte).toBeLessThanOrEqual(2);
  });

  it('a client that goes away mid-export stops the reads; the server answers the next requests', { timeout: 60_000 }, async () => {
    const pages = Math.ceil(BIG / EXPORT_BATCH);
    const before = queries;
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      get(`${server.url}/dashboard/api/responses?format=csv&project=big`, { headers: auth }, resolve).on('error', reject);
    });
    expect(res.statusCode).toBe(200);
    // One chunk read, then the reader stops and hangs up while the server is still exporting.
    await new Promise<void>((resolve) => res.once('data', () => { res.pause(); resolve(); }));
    await new Promise((r) => setTimeout(r, 500));
    res.destroy();
    // The reads stop: the count settles below the number of pages and stays there.
    let settled = -1;
    await waitFor(async () => {
      const now = queries;
      await new Promise((r) => setTimeout(r, 300));
      if (queries === now) settled = now;
      return queries === now;
    }, 10_000, 'the export to stop reading');
    expect(settled - before).toBeGreaterThan(0);
    expect(settled - before).toBeLessThan(pages);
    await new Promise((r) => setTimeout(r, 1000));
    expect(queries).toBe(settled);

    // The server is well: a list, and a whole export of another view.
    const list = await api('responses?project=big&limit=3');
    expect(list.status).toBe(200);
    expect(((await list.json()) as { responses: { id: string }[] }).responses.map((r) => r.id)).toEqual(['big-1', 'big-2', 'big-3']);
    const whole = await (await api('responses?format=ndjson&project=ties')).text();
    expect(whole.trim().split('\n')).toHaveLength(TIES);
  });
});
