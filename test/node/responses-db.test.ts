// The responses inbox on both databases: the SQL builder's filters (with hostile text as data,
// never SQL), keyset pages that neither skip nor repeat, status and tags, a visitor's erasure and
// retention.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, type TestDatabase } from '../helpers/database';
import { filterOf, insertResponses, type TestResponse } from '../helpers/responses';
import type { Database } from '../../src/consumer/db/database';
import { countResponses, listResponses } from '../../src/consumer/responses/query';
import { parseTriage, triageResponse } from '../../src/consumer/responses/triage';
import { eraseVisitor } from '../../src/consumer/responses/erase';
import { pruneExpired, startRetention } from '../../src/consumer/responses/retention';
import { writeBatch } from '../../src/consumer/db/write';
import type { ConsumedEvent } from '../../src/consumer/types';

const HOSTILE = ["'; DROP TABLE fp_responses; --", '__proto__', 'constructor', 'Zürich naïve 日本語 emoji 🎉', '%_\\', '$1'];
const T0 = Date.parse('2026-12-01T12:00:00Z');
const MIN = 60_000;

const ROWS: TestResponse[] = [
  { id: 'r1', project: 'shop', at: new Date(T0), scale: 'stars', score: 1, comment: 'Refund still missing, checkout broken', path: '/checkout', language: 'en', sentiment: -3, anonymousId: 'anon-a', userId: 'user-a' },
  { id: 'r2', project: 'shop', at: new Date(T0 - MIN), scale: 'stars', score: 5, comment: 'Lovely fast delivery', path: '/checkout/done', language: 'en', sentiment: 3, anonymousId: 'anon-b' },
  { id: 'r3', project: 'shop', at: new Date(T0 - 2 * MIN), scale: 'nps', score: 9, comment: null, path: '/', anonymousId: 'anon-a', userId: 'user-a' },
  { id: 'r4', project: 'blog', at: new Date(T0 - 3 * MIN), scale: 'emoji', score: 3, comment: 'Schnelle Lieferung, danke', path: '/post', language: 'de', sentiment: 0, anonymousId: 'anon-c' },
  ...HOSTILE.map((text, i): TestResponse => ({ id: `h${i}`, project: 'shop', at: new Date(T0 - (10 + i) * MIN), scale: 'stars', score: 2, comment: text, path: `/${text}`, anonymousId: text, userId: text })),
];

describe.each(DATABASES)('responses inbox ($name)', (kind) => {
  let test: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    test = await kind.create('inbox_db');
    db = await test.open();
    await insertResponses(db, ROWS);
  });
  afterAll(async () => {
    await db?.close();
    await test?.cleanup();
  });
  const ids = async (query: string) => (await listResponses(db, filterOf(query))).responses.map((r) => r.id);

  it('filters by each parameter, newest first', async () => {
    expect(await ids('limit=4')).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(await ids('project=blog')).toEqual(['r4']);
    expect(await ids('scale=stars&min=2&max=5&project=shop&limit=2')).toEqual(['r2', 'h0']);
    expect(await ids('page=/checkout')).toEqual(['r1']);
    expect(await ids('page=/checkout*')).toEqual(['r1', 'r2']);
    expect(await ids('q=refund')).toEqual(['r1']);
    expect(await ids('q="fast delivery"')).toEqual(['r2']);
    expect(await ids('q=delivery -lovely')).toEqual([]);
    expect(await ids('comment=no')).toEqual(['r3']);
    expect(await ids('sentiment=negative')).toEqual(['r1']);
    expect(await ids('sentiment=neutral')).toEqual(['r4']);
    expect(await ids('sentiment=positive')).toEqual(['r2']);
    expect(await ids('language=de')).toEqual(['r4']);
    expect(await ids('visitor=anon-a')).toEqual(['r1', 'r3']);
    expect(await ids('user=user-a')).toEqual(['r1', 'r3']);
    expect(await ids(`from=${new Date(T0 - 2 * MIN).toISOString()}&to=${new Date(T0).toISOString()}`)).toEqual(['r2', 'r3']);
    const [first] = (await listResponses(db, filterOf('limit=1'))).responses;
    expect(first).toMatchObject({ id: 'r1', project: 'shop', at: '2026-12-01T12:00:00.000000Z', scale: 'stars', score: 1, path: '/checkout', language: 'en', sentiment: -3, anonymousId: 'anon-a', userId: 'user-a', status: 'new', tags: [] });
    expect(await countResponses(db, filterOf('project=shop'))).toBe(3 + HOSTILE.length);
  });

  it('hostile text is only ever data: it finds its own row and nothing else', async () => {
    for (const [i, text] of HOSTILE.entries()) {
      const p = encodeURIComponent(text);
      expect(await ids(`visitor=${p}`), text).toEqual([`h${i}`]);
      expect(await ids(`user=${p}`), text).toEqual([`h${i}`]);
      expect(await ids(`page=${encodeURIComponent(`/${text}`)}`), text).toEqual([`h${i}`]);
    }
    // LIKE wildcards in a prefix are characters, not patterns.
    expect(await ids(`page=${encodeURIComponent('/%_')}*`)).toEqual(['h4']);
    // Search syntax in q is words to the search, never SQL or an error.
    expect(await ids(`q=${encodeURIComponent("'; DROP TABLE")}`)).toEqual(['h0']);
    expect(await ids(`q=${encodeURIComponent('日本語')}`)).toEqual(['h3']);
    expect(await ids(`q=${encodeURIComponent('!!) & | :*')}`)).toEqual([]);
    const [{ n }] = await db.query<{ n: number }>('SELECT count(*) AS n FROM fp_responses');
    expect(n).toBe(ROWS.length);
  });

  it('keyset pages cover every row once, also when rows share a time', async () => {
    const same = new Date(T0 - 60 * MIN);
    const tied = Array.from({ length: 7 }, (_, i): TestResponse => ({ id: `tie-${i}`, project: 'ties', at: same }));
    await insertResponses(db, tied);
    const seen: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const page = await listResponses(db, filterOf(`project=ties&limit=3${cursor ? `&cursor=${cursor}` : ''}`));
      seen.push(...page.responses.map((r) => r.id));
      cursor = page.next;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(['tie-6', 'tie-5', 'tie-4', 'tie-3', 'tie-2', 'tie-1', 'tie-0']);
  });

  it('status and tags are kept, and filter the list', async () => {
    const patch = parseTriage({ status: 'resolved', tags: ['billing', 'Zürich', 'billing'] });
    expect(patch.ok).toBe(true);
    if (!patch.ok) return;
    expect(await triageResponse(db, 'r2', patch.patch)).toEqual({ id: 'r2', status: 'resolved', tags: ['billing', 'Zürich'] });
    expect(await triageResponse(db, 'r2', { status: 'seen' })).toEqual({ id: 'r2', status: 'seen', tags: ['billing', 'Zürich'] });
    expect(await triageResponse(db, 'no-such-id', { status: 'seen' })).toBeUndefined();
    expect(await ids('status=seen')).toEqual(['r2']);
    expect(await ids('tag=Zürich')).toEqual(['r2']);
    expect(await ids('tag=billing&status=new')).toEqual([]);
    for (const [body, field] of [[{ status: 'done' }, 'status'], [{ tags: 'billing' }, 'tags'], [{ tags: ['<b>'] }, 'tags'],
      [{ tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'tags'], [{ tags: ['x'.repeat(41)] }, 'tags'], [{ score: 5 }, 'score'], [{}, 'status']] as const) {
      const result = parseTriage(body as Record<string, unknown>);
      expect(result.ok, JSON.stringify(body)).toBe(false);
      if (!result.ok) expect(result.field).toBe(field);
    }
  });

  it('erasing a visitor deletes their responses and keeps their event ids (a redelivery stays a duplicate)', async () => {
    await insertResponses(db, [{ id: 'gdpr-1', project: 'gdpr', at: new Date(T0), anonymousId: 'anon-gdpr', userId: 'user-gdpr' },
      { id: 'gdpr-2', project: 'gdpr', at: new Date(T0 - MIN), anonymousId: 'anon-gdpr-2', userId: 'user-gdpr' },
      { id: 'gdpr-3', project: 'gdpr', at: new Date(T0 - 2 * MIN), anonymousId: 'anon-other' }]);
    await db.query(`INSERT INTO fp_seen (id) VALUES ('gdpr-1'), ('gdpr-2')`);
    expect(await eraseVisitor(db, { anonymousId: 'anon-gdpr' })).toBe(1);
    expect(await eraseVisitor(db, { userId: 'user-gdpr' })).toBe(1);
    expect(await eraseVisitor(db, { userId: 'user-gdpr' })).toBe(0);
    expect(await eraseVisitor(db, { anonymousId: "'; DROP TABLE fp_responses; --" })).toBe(1);
    expect(await ids('project=gdpr')).toEqual(['gdpr-3']);
    const seen = await db.query<{ id: string }>(`SELECT id FROM fp_seen WHERE id LIKE 'gdpr-%' ORDER BY id`);
    expect(seen.map((r) => r.id)).toEqual(['gdpr-1', 'gdpr-2']);
  });

  it("reads what the consumer's write path stores; an erased visitor's redelivered event stays out and the figures stay", async () => {
    const event = (id: string, comment: string, anonymousId: string): ConsumedEvent => ({
      id, type: 'feedback', project: 'written', anonymousId, sessionId: 's-w', userId: 'user-w', ts: new Date(T0 - 30 * MIN).toISOString(),
      page: { url: 'https://shop.example/cart?x=1', path: '/cart' }, data: { scale: 'stars', rating: 1, comment },
    } as ConsumedEvent);
    const batch = [event('w-1', 'The checkout is broken and terrible', 'anon-w1'), event('w-2', 'Wunderbar, sehr schnell geliefert und gut', 'anon-w2')];
    await db.transaction((tx) => writeBatch(tx, batch));
    const page = await listResponses(db, filterOf('project=written'));
    expect(page.responses.map((r) => [r.id, r.path, r.url, r.userId, r.sessionId, r.status])).toEqual([
      ['w-2', '/cart', 'https://shop.example/cart?x=1', 'user-w', 's-w', 'new'], ['w-1', '/cart', 'https://shop.example/cart?x=1', 'user-w', 's-w', 'new']]);
    expect(await ids('project=written&sentiment=negative&q=broken')).toEqual(['w-1']);
    const rollups = async () => (await db.query<{ n: number }>(`SELECT coalesce(sum(count), 0) AS n FROM fp_rollups WHERE project IN ('written', '')`))[0]!.n;
    const before = await rollups();
    expect(before).toBeGreaterThan(0);
    expect(await eraseVisitor(db, { anonymousId: 'anon-w1' })).toBe(1);
    const again = await db.transaction((tx) => writeBatch(tx, [batch[0]!]));
    expect(again.duplicates).toBe(1);
    expect(await ids('project=written')).toEqual(['w-2']);
    expect(await rollups()).toBe(before);
  });

  it('retention deletes events, seen ids and rollups past their periods, and nothing younger', async () => {
    const now = Date.parse('2027-06-01T00:00:00Z');
    const DAY = 86_400_000;
    await insertResponses(db, [{ id: 'old-1', project: 'ret', at: new Date(now - 91 * DAY) }, { id: 'young-1', project: 'ret', at: new Date(now - 89 * DAY) }]);
    await db.query(`INSERT INTO fp_seen (id, received_at) VALUES ('old-1', $1), ('young-1', $2)`, [new Date(now - 91 * DAY).toISOString(), new Date(now - 89 * DAY).toISOString()]);
    const minute = (t: number) => Math.floor(t / MIN);
    const day = (t: number) => Math.floor(t / DAY);
    await db.query(`INSERT INTO fp_rollups (project, grain, bucket, metric, count) VALUES
      ('ret', 'minute', $1, 'm', 1), ('ret', 'minute', $2, 'm', 1), ('ret', 'day', $3, 'm', 1), ('ret', 'day', $4, 'm', 1)`,
    [minute(now - 49 * 60 * MIN), minute(now - 47 * 60 * MIN), day(now - 401 * DAY), day(now - 399 * DAY)]);
    const pruned = await pruneExpired(db, {}, now);
    // Every row of the other tests is older than 90 days at `now` too.
    // (and so are the rollups the write-path test made): at least this test's old rows went.
    expect(pruned.seen).toBeGreaterThanOrEqual(1);
    expect(pruned.minuteRollups).toBeGreaterThanOrEqual(1);
    expect(pruned.dayRollups).toBeGreaterThanOrEqual(1);
    expect(await ids('project=ret')).toEqual(['young-1']);
    expect((await db.query<{ id: string }>(`SELECT id FROM fp_seen WHERE id IN ('old-1', 'young-1')`)).map((r) => r.id)).toEqual(['young-1']);
    const rollups = await db.query<{ grain: string; bucket: number }>(`SELECT grain, bucket FROM fp_rollups WHERE project = 'ret' ORDER BY grain, bucket`);
    expect(rollups).toEqual([{ grain: 'day', bucket: day(now - 399 * DAY) }, { grain: 'minute', bucket: minute(now - 47 * 60 * MIN) }]);
    // Shorter periods given as options.
    expect((await pruneExpired(db, { eventsDays: 30 }, now)).responses).toBe(1);
    expect(await ids('project=ret')).toEqual([]);
  });

  it('startRetention prunes at once and stops; bad settings fail the start', async () => {
    await insertResponses(db, [{ id: 'ancient', project: 'ret2', at: '2001-01-01T00:00:00Z' }]);
    const retention = startRetention(db, { everyMs: 3_600_000 });
    const first = await retention.lastRun;
    retention.stop();
    expect(first?.responses).toBeGreaterThanOrEqual(1);
    expect(await ids('project=ret2')).toEqual([]);
    expect(() => startRetention(db, { eventsDays: 0 })).toThrow(/eventsDays/);
  });
});
