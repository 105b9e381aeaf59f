// Unit tests for the alert rules, their evaluation into at most one alert per event, the Slack
// message, webhook retries against a local receiver, and the persisted alert store.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../src/consumer/alerts/default-rules';
import { evaluateRules } from '../../src/consumer/alerts/evaluate';
import { keywordPattern, matchKeyword } from '../../src/consumer/alerts/match';
import { createNotifier } from '../../src/consumer/alerts/notifier';
import { loadRules, parseRules } from '../../src/consumer/alerts/rules';
import { slackMessage } from '../../src/consumer/alerts/slack';
import { alertReader, fileAlerts, type DeliveryState } from '../../src/consumer/db/alerts';
import type { Alert } from '../../src/consumer/alerts/evaluate';
import type { Database } from '../../src/consumer/db/database';
import { DATABASES, type TestDatabase } from '../helpers/database';
import { postWithRetry } from '../../src/consumer/alerts/webhook';
import type { FeedbackInsight } from '../../src/consumer/analysis/insight';
import { eventRows } from '../../src/consumer/db/deltas';
import type { ConsumedEvent } from '../../src/consumer/types';

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const base = { project: 'shop', anonymousId: 'a', sessionId: 's', page: { url: 'https://x/checkout', path: '/checkout' } };
const feedback = (id: string, rating: number, scale: 'stars' | 'nps' | 'emoji' | 'thumbs', comment?: string): ConsumedEvent =>
  ({ ...base, id, type: 'feedback', ts: new Date(T0).toISOString(), data: { rating, scale, ...(comment ? { comment } : {}) } });

function evaluate(event: ConsumedEvent, rules = DEFAULT_RULES) {
  return evaluateRules(rules, event, eventRows(event).insight);
}
/** Files alerts as a worker does, in one transaction. */
const file = (db: Database, alerts: Alert[], delivery: DeliveryState = 'pending', keep = 1000) =>
  db.transaction((tx) => fileAlerts(tx, alerts, { sameVisitorMinutes: 0, keep, delivery: () => delivery }).then((filed) => filed.records));

describe('rules file', () => {
  it('accepts every rule type and fills defaults', () => {
    const rules = parseRules({ rules: [
      { name: 'low', type: 'rating', scales: ['stars'], max: 2 },
      { name: 'neg', type: 'sentiment', below: -2, severity: 'critical' },
      { name: 'kw', type: 'keyword', keywords: ['refund '] },
      { name: 'drop', type: 'drop', scale: 'stars', by: 1, withinMinutes: 10 },
    ] });
    expect(rules[0]).toMatchObject({ severity: 'warning', max: 2 });
    expect(rules[2]).toMatchObject({ keywords: ['refund'] });
    expect(rules[3]).toMatchObject({ sample: 30 });
  });
  it('names the broken rule', () => {
    expect(() => parseRules({ rules: [{ name: 'x', type: 'rating', scales: ['hearts'], max: 1 }] })).toThrow(/rules\[0\] "x".*scales/);
    expect(() => parseRules({ rules: [{ name: 'y', type: 'loud' }] })).toThrow(/"type"/);
    expect(() => parseRules({ rules: [{ name: 'k', type: 'keyword', keywords: [] }] })).toThrow(/keywords/);
    expect(() => parseRules({ rules: [{ name: 'a', type: 'sentiment', below: -1 }, { name: 'a', type: 'sentiment', below: -2 }] })).toThrow(/unique/);
    expect(() => parseRules({})).toThrow(/"rules"/);
  });

  it('refuses a misspelt field instead of silently keeping its default', () => {
    // Each of these loaded before, with severity "warning", sample 30, sameVisitorMinutes 30.
    expect(() => parseRules({ rules: [{ name: 'Refunds', type: 'keyword', keywords: ['refund'], severty: 'critical' }] }))
      .toThrow('alert rules: rules[0] "Refunds": unknown field "severty" (did you mean "severity"?); allowed: name, type, severity, keywords');
    expect(() => parseRules({ rules: [{ name: 'Drop', type: 'drop', scale: 'stars', by: 1, withinMinutes: 15, sampel: 5 }] }))
      .toThrow(/rules\[0\] "Drop": unknown field "sampel" \(did you mean "sample"\?\)/);
    expect(() => parseRules({ rules: [{ name: 'Low', type: 'rating', scales: ['stars'], max: 1, below: -3 }] }))
      .toThrow(/rules\[0\] "Low": unknown field "below"; allowed: name, type, severity, scales, max/);
    expect(() => parseRules({ sameVisitorMinute: 10, rules: [] })).toThrow(/file: unknown field "sameVisitorMinute" \(did you mean "sameVisitorMinutes"\?\)/);
    // Comments and a schema link stay possible.
    expect(parseRules({ $schema: 'x', _comment: 'ours', rules: [{ name: 'Low', type: 'rating', scales: ['stars'], max: 1, _why: 'pager' }] })).toHaveLength(1);
  });
  it('loads a file, or the defaults when there is none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fp-rules-'));
    const file = join(dir, 'rules.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, JSON.stringify({ rules: [{ name: 'kw', type: 'keyword', keywords: ['late'] }] })));
    expect((await loadRules(file)).rules).toHaveLength(1);
    await import('node:fs/promises').then((fs) => fs.writeFile(file, JSON.stringify({ sendWithinMinutes: 240, rules: [] })));
    expect((await loadRules(file)).sendWithinMinutes).toBe(240);
    for (const bad of [0, -5, '60']) {
      await import('node:fs/promises').then((fs) => fs.writeFile(file, JSON.stringify({ sendWithinMinutes: bad, rules: [] })));
      await expect(loadRules(file)).rejects.toThrow('alert rules: file: "sendWithinMinutes" must be a number > 0');
    }
    await expect(loadRules(join(dir, 'missing.json'))).rejects.toThrow(/cannot read/);
    const cwd = process.cwd();
    process.chdir(dir);
    try { expect(await loadRules()).toEqual({ rules: DEFAULT_RULES, source: 'built-in defaults' }); } finally { process.chdir(cwd); }
    await rm(dir, { recursive: true });
  });
});

describe('rule matching', () => {
  it('matches keywords as whole words or phrases, any case and spacing', () => {
    expect(keywordPattern('charged twice').test('I was CHARGED   twice!')).toBe(true);
    expect(keywordPattern('broken').test('unbroken streak')).toBe(false);
    expect(keywordPattern('cassé').test('Le moulin est cassé.')).toBe(true);
    const f: FeedbackInsight = { rating: 3, scale: 'stars', low: false, comment: 'Refund please, it is broken' };
    expect(matchKeyword({ name: 'k', type: 'keyword', keywords: ['broken', 'refund', 'charged twice'] }, f)).toBe('keyword "broken", "refund"');
  });
  it('default rules: lowest stars/emoji, NPS detractor ≤ 3, very negative comment, keywords', () => {
    expect(evaluate(feedback('a', 1, 'stars'))?.matches.map((m) => m.rule)).toEqual(['Lowest rating']);
    expect(evaluate(feedback('b', 1, 'emoji'))?.severity).toBe('critical');
    expect(evaluate(feedback('c', 2, 'stars'))).toBeNull();
    expect(evaluate(feedback('d', 3, 'nps'))?.matches.map((m) => m.rule)).toEqual(['NPS detractor']);
    expect(evaluate(feedback('e', 4, 'nps'))).toBeNull();
    expect(evaluate(feedback('f', 3, 'stars', 'Terrible, awful, horrible'))?.matches.map((m) => m.rule)).toEqual(['Very negative comment']);
    expect(evaluate(feedback('g', 4, 'stars', 'I want a refund'))?.matches.map((m) => m.rule)).toEqual(['Critical keyword']);
    expect(evaluate(feedback('h', 5, 'stars', 'Lovely'))).toBeNull();
  });
  it('folds several matching rules into one alert for the event', () => {
    const alert = evaluate(feedback('evt-1', 1, 'stars', 'Broken checkout, I was charged twice, terrible and awful'));
    expect(alert).toMatchObject({ id: 'evt-1', severity: 'critical', path: '/checkout', rating: 1, scale: 'stars' });
    expect(alert!.matches.map((m) => m.rule)).toEqual(['Lowest rating', 'Very negative comment', 'Critical keyword']);
  });
});

describe('slack message', () => {
  it('is { text, blocks } with user text escaped', () => {
    const alert = evaluate(feedback('x', 1, 'stars', '<!channel> broken & <b>bad</b>'))!;
    const msg = slackMessage(alert, 'https://dash.example/dashboard');
    expect(msg.text).toContain('&lt;!channel&gt; broken &amp; &lt;b&gt;bad&lt;/b&gt;');
    expect(msg.text).not.toContain('<!channel>');
    expect(msg.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: msg.text } });
    expect(JSON.stringify(msg.blocks[2])).toContain('<https://dash.example/dashboard|open dashboard>');
  });
});

describe('webhook delivery', () => {
  let server: Server | undefined;
  afterEach(async () => { await new Promise((r) => server?.close(r)); server = undefined; });

  async function receiver(statuses: (number | [number, Record<string, string>])[]) {
    const calls: { at: number; body: unknown }[] = [];
    server = createServer(async (req, res) => {
      let body = '';
      for await (const c of req) body += c;
      calls.push({ at: Date.now(), body: JSON.parse(body) });
      const next = statuses[Math.min(calls.length - 1, statuses.length - 1)];
      const [status, headers] = Array.isArray(next) ? next : [next, {}];
      res.writeHead(status, headers).end('ok');
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/hook`, calls };
  }

  it('retries 5xx with backoff and honours Retry-After', async () => {
    const { url, calls } = await receiver([503, [429, { 'retry-after': '0' }], 200]);
    const result = await postWithRetry(url, { text: 'hi' }, { baseDelayMs: 20 });
    expect(result).toMatchObject({ ok: true, attempts: 3, status: 200 });
    expect(calls).toHaveLength(3);
    expect(calls[0].body).toEqual({ text: 'hi' });
  });
  it('gives up at once on a 4xx that retrying cannot fix, and after the attempt limit otherwise', async () => {
    const bad = await receiver([400]);
    expect(await postWithRetry(bad.url, {}, { baseDelayMs: 5 })).toMatchObject({ ok: false, attempts: 1, status: 400 });
    await new Promise((r) => server!.close(r));
    const down = await receiver([500]);
    expect(await postWithRetry(down.url, {}, { baseDelayMs: 5, attempts: 3 })).toMatchObject({ ok: false, attempts: 3, status: 500 });
    expect(down.calls).toHaveLength(3);
  });
  it('with a deadline, keeps retrying a webhook that is down past 6 tries, and stops at the deadline', async () => {
    const { url, calls } = await receiver([503, 503, 503, 503, 503, 503, 503, 503, 200]);
    expect(await postWithRetry(url, {}, { baseDelayMs: 2, maxDelayMs: 5, giveUpAt: Date.now() + 10_000 })).toMatchObject({ ok: true, attempts: 9 });
    expect(calls).toHaveLength(9);
    await new Promise((r) => server!.close(r));
    const down = await receiver([503]);
    const started = Date.now();
    const result = await postWithRetry(down.url, {}, { baseDelayMs: 2, maxDelayMs: 20, giveUpAt: started + 400 });
    expect(result).toMatchObject({ ok: false, status: 503 });
    // How many tries fit in 400 ms depends on the machine; none starts after the deadline (the
    // receiver notes a try once its body has arrived, a moment after it started).
    expect(down.calls.length).toBeGreaterThan(1);
    expect(down.calls.at(-1)!.at - started).toBeLessThan(400 + 250);
  });

  it('caps a huge Retry-After, so one answer cannot hold a sending slot for a day', async () => {
    const { url, calls } = await receiver([[429, { 'retry-after': '86400' }], 200]);
    const started = Date.now();
    expect(await postWithRetry(url, {}, { baseDelayMs: 5, maxDelayMs: 20 })).toMatchObject({ ok: true, attempts: 2 });
    expect(calls[1].at - started).toBeLessThan(2_000); // the cap here is 10 × maxDelayMs = 200 ms
  });

});

describe.each(DATABASES)('alerts in the database ($name)', (kind) => {
  let test: TestDatabase | undefined;
  let db: Database | undefined;
  let hook: Server | undefined;
  afterEach(async () => {
    if (hook) await new Promise((r) => hook!.close(r));
    await db?.close(); await test?.cleanup(); db = undefined; test = undefined; hook = undefined;
  });
  async function receiver(): Promise<{ url: string; ids: string[] }> {
    const ids: string[] = [];
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { ids.push(/evt-[\w-]+/.exec(body)?.[0] ?? '?'); res.end('ok'); });
    });
    await new Promise<void>((r) => hook!.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`, ids };
  }

  it('the notifier sends each alert once and records it; one a stopped worker held is sent by another once its claim ran out', async () => {
    test = await kind.create('notifier');
    db = await test.open();
    const { url, ids } = await receiver();
    const first = createNotifier({ url, db, retry: { baseDelayMs: 5 }, leaseMs: 300, pollMs: 100 });
    // Filed claimed by the first notifier, as its worker does, and handed over after the commit.
    const { records: [record] } = await db.transaction((tx) => fileAlerts(tx, [evaluate(feedback('evt-9', 1, 'stars', 'broken'))!], {
      sameVisitorMinutes: 0, keep: 1000, delivery: () => 'pending', claim: { owner: first.owner, leaseMs: first.leaseMs },
    }));
    // A second notifier on the same database, polling all the while, never takes it.
    const second = createNotifier({ url, db, retry: { baseDelayMs: 5 }, leaseMs: 300, pollMs: 50 });
    await new Promise((r) => setTimeout(r, 500));
    first.send(record!);
    await first.idle();
    await new Promise((r) => setTimeout(r, 200));
    expect(ids).toEqual(['evt-9']);
    expect((await alertReader(db).list(5))[0]).toMatchObject({ delivery: 'delivered', attempts: 1 });
    // Claimed by a worker that dies before sending (no close, no renewals: a kill -9).
    await db.query("INSERT INTO fp_alerts (id, project, anonymous_id, at, severity, matches, path, delivery, claimed_by, claimed_until) VALUES ('evt-10', 'shop', 'a', $1, 'critical', '[]', '/', 'pending', 'dead-worker', now() + interval '300 milliseconds')", [Date.now()]);
    await new Promise((r) => setTimeout(r, 200));
    expect(ids).toEqual(['evt-9']);
    await waitUntil(() => ids.length === 2);
    await second.idle();
    expect(ids).toEqual(['evt-9', 'evt-10']);
    await new Promise((r) => setTimeout(r, 300));
    expect(ids).toHaveLength(2);
    expect((await alertReader(db).list(5)).map((r) => [r.alert.id, r.delivery])).toEqual([['evt-10', 'delivered'], ['evt-9', 'delivered']]);
    await first.close();
    await second.close();
  });

  it('sends only alerts about fresh feedback: an old one is recorded as stale, without a call', async () => {
    test = await kind.create('stale');
    db = await test.open();
    const { url, ids } = await receiver();
    const notifier = createNotifier({ url, db, retry: { baseDelayMs: 5 }, sendWithinMinutes: 60 });
    const old = { ...evaluate(feedback('evt-old', 1, 'stars'))!, at: Date.now() - 2 * 3600_000, anonymousId: 'o' };
    const recent = { ...evaluate(feedback('evt-new', 1, 'stars'))!, at: Date.now() - 60_000, anonymousId: 'n' };
    expect(notifier.fresh(old)).toBe(false);
    expect(notifier.fresh(recent)).toBe(true);
    // Queued while fresh, stale by the time a slot is free (e.g. a restart after a long stop).
    for (const r of await file(db, [old, recent])) notifier.send(r);
    await notifier.idle();
    expect(ids).toEqual(['evt-new']);
    expect((await alertReader(db).list(5)).map((r) => [r.alert.id, r.delivery])).toEqual([['evt-new', 'delivered'], ['evt-old', 'stale']]);
    await notifier.close();
  });

  it('keeps the newest N alerts and counts the rest, per project', async () => {
    test = await kind.create('alertbound');
    db = await test.open();
    for (let i = 0; i < 33; i++) {
      const event = { ...feedback(`evt-${String(i).padStart(3, '0')}`, 1, 'stars', 'broken'), anonymousId: `v${i}`, project: i % 2 ? 'shop' : 'blog' };
      await file(db, [evaluate(event)!], 'off', 10);
    }
    const reader = alertReader(db);
    const held = (await reader.list(100)).map((r) => r.alert.id);
    // At most keep + a quarter (8) are held, the newest ones.
    expect(held.length).toBeGreaterThanOrEqual(10);
    expect(held.length).toBeLessThanOrEqual(18);
    expect(held).toEqual(Array.from({ length: held.length }, (_, k) => `evt-${String(32 - k).padStart(3, '0')}`));
    expect(await reader.count()).toBe(33);
    expect(await reader.count('shop')).toBe(16);
    expect(await reader.count('blog')).toBe(17);
    expect(await reader.projects()).toEqual(['blog', 'shop']);
    expect((await reader.list(3, 'blog')).map((r) => r.alert.id)).toEqual(['evt-032', 'evt-030', 'evt-028']);
  });
});

async function waitUntil(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) { if (Date.now() > end) throw new Error('timed out'); await new Promise((r) => setTimeout(r, 20)); }
}
