// The responses API over HTTP on the demo server, on both databases: behind the token, JSON pages,
// CSV and NDJSON exports as attachments (RFC 4180 quoting, formula cells defused), status and tags
// by PATCH (CSRF-safe: JSON only, other origins refused), and a visitor's erasure by DELETE.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, type TestDatabase } from '../helpers/database';
import { insertResponses } from '../helpers/responses';
import { batchOf, feedbackEvent } from '../helpers/events';
import { waitFor } from '../helpers/wait';
import type { Database } from '../../src/consumer/db/database';
import { startFeedpulseServer, type FeedpulseServer } from '../../src/consumer/index';

const TOKEN = 'inbox-api-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
const T0 = Date.parse('2026-12-01T12:00:00Z');

describe.each(DATABASES)('responses API ($name)', (kind) => {
  let test: TestDatabase;
  let db: Database;
  let server: FeedpulseServer;
  let dataDir: string;
  const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}/dashboard/api/${path}`, { ...init, headers: { ...auth, ...init.headers } });

  beforeAll(async () => {
    test = await kind.create('inbox_api');
    dataDir = await mkdtemp(join(tmpdir(), 'fp-inbox-api-'));
    server = await startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir, dashboardToken: TOKEN, database: { url: test.choice.url, schema: test.choice.schema }, collector: { log: false, rateLimit: false } }, {});
    db = server.db;
    await insertResponses(db, [
      { id: 'a1', at: new Date(T0), score: 1, comment: '=HYPERLINK("http://evil.example","click")', anonymousId: 'anon-x', userId: 'user-x' },
      { id: 'a2', at: new Date(T0 - 1000), score: 2, comment: 'says "hi", then\r\nleaves', anonymousId: 'anon-x' },
      { id: 'a3', at: new Date(T0 - 2000), score: 3, comment: '+1 -1 @home', path: '/checkout', anonymousId: 'anon-y', userId: 'user-x' },
      { id: 'a4', at: new Date(T0 - 3000), score: 4, comment: '\tindented', anonymousId: 'anon-z' },
      { id: 'a5', at: new Date(T0 - 4000), score: 5, comment: null, anonymousId: 'anon-z' },
    ]);
  });
  afterAll(async () => {
    await server?.close();
    await test?.cleanup();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('needs the token', async () => {
    expect((await fetch(`${server.url}/dashboard/api/responses`)).status).toBe(401);
    expect((await fetch(`${server.url}/dashboard/api/visitors/anon-x`, { method: 'DELETE' })).status).toBe(401);
  });

  it('JSON: a page, its total and the cursor of the next; a bad value is a 400 naming it', async () => {
    const first = await api('responses?limit=2');
    expect(first.status).toBe(200);
    const page = await first.json() as { responses: { id: string }[]; next: string | null; total: number };
    expect(page.responses.map((r) => r.id)).toEqual(['a1', 'a2']);
    expect(page.total).toBe(5);
    const second = await (await api(`responses?limit=2&cursor=${page.next}`)).json() as typeof page;
    expect(second.responses.map((r) => r.id)).toEqual(['a3', 'a4']);
    expect(second.total).toBeUndefined();
    const last = await (await api(`responses?limit=2&cursor=${second.next}`)).json() as typeof page;
    expect(last).toEqual({ responses: [expect.objectContaining({ id: 'a5' })], next: null });
    const bad = await api('responses?min=eleven');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ ok: false, error: 'invalid_parameter', parameter: 'min', message: 'min must be a whole number from 0 to 10' });
    expect((await api('responses?format=xml')).status).toBe(400);
    // A made-up cursor whose id holds a NUL (no text column can hold one): a 400, not the database's error as a 500.
    const nul = await api(`responses?cursor=${Buffer.from(JSON.stringify([T0 * 1000, 'a\u0000b'])).toString('base64url')}`);
    expect(nul.status).toBe(400);
    expect(await nul.json()).toMatchObject({ error: 'invalid_parameter', parameter: 'cursor' });
    expect((await api('responses', { method: 'POST' })).status).toBe(405);
  });

  it('CSV: an attachment, quoted per RFC 4180, formula cells defused, the filter applied', async () => {
    const res = await api('responses?format=csv&comment=yes');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="feedpulse-responses-[\dT-]+Z\.csv"$/);
    const text = await res.text();
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('id,project,at,receivedAt,scale,score,comment,path,url,language,sentiment,anonymousId,userId,sessionId,status,tags');
    expect(lines[1]).toBe(`a1,shop,2026-12-01T12:00:00.000000Z,2026-12-01T12:00:00.000000Z,stars,1,"'=HYPERLINK(""http://evil.example"",""click"")",/,,,,anon-x,user-x,,new,`);
    // The line break inside a comment stays inside its quotes.
    expect(text).toContain(`,2,"says ""hi"", then\r\nleaves",/,`);
    expect(text).toContain(`,3,'+1 -1 @home,/checkout,`);
    expect(text).toContain(`,4,'\tindented,/,`);
    expect(text).not.toContain('a5,');
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('CSV: no formula cell where a spreadsheet may start a cell: after ; (the list separator of de, fr, es Excel), a line break or a tab', async () => {
    // Excel in a locale whose list separator is ; splits a line of this file at each ; and takes a
    // quote only at the start of a cell, so a line break inside a quoted comment starts a new row there.
    const comments = ['nice;=HYPERLINK(CHAR(104)&A1);', 'first\n=1+1', 'first\r\n@SUM(A1:A9)', 'a;+1;-1', 'tab\t=2+2'];
    const events = comments.map((comment, i) => feedbackEvent('csv-locale', { anonymousId: 'anon-csv-locale', data: { rating: 1 + i, scale: 'stars', comment }, page: { url: 'https://shop.example/x', path: `/x;=${i}` } }));
    const posted = await fetch(`${server.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: batchOf(events) });
    expect(await posted.json()).toMatchObject({ accepted: comments.length });
    await waitFor(async () => ((await (await api('responses?project=csv-locale')).json()) as { total: number }).total === comments.length, 15_000, 'the responses in the inbox');
    const text = await (await api('responses?format=csv&project=csv-locale')).text();
    expect(text.split('\r\n').length).toBeGreaterThan(comments.length);
    expect(text).not.toMatch(/[;\t\r\n][=+\-@]/);
    expect(text).toContain(`nice;'=HYPERLINK(CHAR(104)&A1);`);
    expect(text).toContain(`"first\n'=1+1"`);
    // NDJSON keeps the text as it is.
    const rows = (await (await api('responses?format=ndjson&project=csv-locale')).text()).trim().split('\n').map((l) => (JSON.parse(l) as { comment: string }).comment);
    expect(rows.sort()).toEqual([...comments].sort());
    expect(await (await api('visitors/anon-csv-locale', { method: 'DELETE' })).json()).toEqual({ deleted: comments.length });
  });

  it('NDJSON: one JSON object per line, every filtered row', async () => {
    const res = await api('responses?format=ndjson&user=user-x');
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=".*\.ndjson"$/);
    const rows = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { id: string; comment: string });
    expect(rows.map((r) => r.id)).toEqual(['a1', 'a3']);
    expect(rows[0]!.comment).toBe('=HYPERLINK("http://evil.example","click")');
  });

  it('PATCH sets status and tags; JSON only, same origin only, validated', async () => {
    const patch = (id: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      api(`responses/${encodeURIComponent(id)}`, { method: 'PATCH', headers, body: JSON.stringify(body) });
    const ok = await patch('a2', { status: 'resolved', tags: ['refund', 'vip'] });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ id: 'a2', status: 'resolved', tags: ['refund', 'vip'] });
    const listed = await (await api('responses?status=resolved&tag=vip')).json() as { responses: { id: string; tags: string[] }[] };
    expect(listed.responses.map((r) => [r.id, r.tags])).toEqual([['a2', ['refund', 'vip']]]);
    // A form post from another site cannot carry JSON, and an Origin not this server's is refused.
    expect((await patch('a2', { status: 'new' }, { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await patch('a2', { status: 'new' }, { 'content-type': 'application/json', origin: 'http://evil.example' })).status).toBe(403);
    const bad = await patch('a2', { status: 'done' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_body', field: 'status' });
    expect((await patch('a2', { __proto__: { status: 'new' } })).status).toBe(400);
    expect((await patch('no-such-id', { status: 'seen' })).status).toBe(404);
    const [row] = await db.query<{ status: string }>(`SELECT status FROM fp_responses WHERE id = 'a2'`);
    expect(row!.status).toBe('resolved');
  });

  it('DELETE of a visitor or a user removes their responses from the API and the export', async () => {
    expect((await api('visitors/anon-z', { method: 'GET' })).status).toBe(405);
    expect((await api('visitors/anon-z', { method: 'DELETE', headers: { origin: 'http://evil.example' } })).status).toBe(403);
    const byVisitor = await api('visitors/anon-z', { method: 'DELETE' });
    expect(await byVisitor.json()).toEqual({ deleted: 2 });
    const byUser = await api('users/user-x', { method: 'DELETE' });
    expect(await byUser.json()).toEqual({ deleted: 2 });
    const rest = await (await api('responses')).json() as { responses: { id: string }[] };
    expect(rest.responses.map((r) => r.id)).toEqual(['a2']);
    expect((await (await api('responses?format=ndjson')).text()).trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['a2']);
  });

  it('finds and erases a visitor whose ids hold a tab, a newline, spaces at the ends or a NUL, or are 256 long, as the collector accepted them', async () => {
    const people = [
      { anonymousId: 'anon\nline', userId: 'bob\tjones' },
      { anonymousId: ' anon-spaced ', userId: ' alice ' },
      { anonymousId: 'anon\u0000nul', userId: 'carol\u0000x' },
      { anonymousId: 'anon-long', userId: `dave-${'d'.repeat(251)}` }, // 256, the longest user id the collector takes
    ];
    const run = Date.now().toString(36);
    const events = people.map((p, i) => feedbackEvent('erasable', { ...p, id: `erase-${run}-${i}`, data: { rating: 1, scale: 'stars', comment: `erase me ${i}` } }));
    const posted = await fetch(`${server.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: batchOf(events) });
    expect(await posted.json()).toMatchObject({ accepted: people.length });
    const ofProject = async () => ((await (await api('responses?project=erasable')).json()) as { responses: unknown[] }).responses.length;
    await waitFor(async () => (await ofProject()) === people.length, 15_000, 'the responses in the inbox');
    for (const [i, p] of people.entries()) {
      const found = await api(`responses?user=${encodeURIComponent(p.userId)}`);
      expect(found.status, p.userId).toBe(200);
      expect(((await found.json()) as { responses: { id: string }[] }).responses.map((r) => r.id), p.userId).toEqual([`erase-${run}-${i}`]);
    }
    const byUser = await api(`users/${encodeURIComponent(people[0].userId)}`, { method: 'DELETE' });
    expect(await byUser.json()).toEqual({ deleted: 1 });
    for (const p of people.slice(1)) {
      const byVisitor = await api(`visitors/${encodeURIComponent(p.anonymousId)}`, { method: 'DELETE' });
      expect(await byVisitor.json(), p.anonymousId).toEqual({ deleted: 1 });
    }
    expect(await ofProject()).toBe(0);
  });
});
