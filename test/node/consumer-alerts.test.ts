// Unit tests for the alert rules, their evaluation into at most one alert per event, the Slack
// message, webhook retries against a local receiver, and the persisted alert store.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../src/consumer/alerts/default-rules';
import { applyDrop, createDropState } from '../../src/consumer/alerts/drop';
import { evaluateRules } from '../../src/consumer/alerts/evaluate';
import { keywordPattern, matchKeyword } from '../../src/consumer/alerts/match';
import { createNotifier } from '../../src/consumer/alerts/notifier';
import { loadRules, parseRules, type DropRule } from '../../src/consumer/alerts/rules';
import { slackMessage } from '../../src/consumer/alerts/slack';
import { openAlertStore } from '../../src/consumer/alerts/store';
import { postWithRetry } from '../../src/consumer/alerts/webhook';
import { applyEvent, createAnalysis, type FeedbackInsight } from '../../src/consumer/analysis/state';
import type { ConsumedEvent } from '../../src/consumer/types';

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const base = { project: 'shop', anonymousId: 'a', sessionId: 's', page: { url: 'https://x/checkout', path: '/checkout' } };
const feedback = (id: string, rating: number, scale: 'stars' | 'nps' | 'emoji' | 'thumbs', comment?: string): ConsumedEvent =>
  ({ ...base, id, type: 'feedback', ts: new Date(T0).toISOString(), data: { rating, scale, ...(comment ? { comment } : {}) } });

function evaluate(event: ConsumedEvent, rules = DEFAULT_RULES, states = {}) {
  return evaluateRules(rules, states, event, applyEvent(createAnalysis(), event));
}

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

describe('rolling average drop', () => {
  const rule: DropRule = { name: 'drop', type: 'drop', scale: 'stars', by: 1, withinMinutes: 10, sample: 4 };
  const f = (rating: number): FeedbackInsight => ({ rating, scale: 'stars', low: rating <= 2 });

  it('fires once when the average of the last N falls by X within Y minutes', () => {
    const state = createDropState();
    const fired: (string | null)[] = [];
    [5, 5, 5, 5, 4, 3, 2, 2, 1, 1].forEach((r, i) => fired.push(applyDrop(rule, state, f(r), T0 + i * 30_000)));
    // averages: 5, 4.75, 4.25, 3.5 (drop 1.5 → alert), then quiet for the window
    expect(fired.filter(Boolean)).toHaveLength(1);
    expect(fired[6]).toMatch(/fell from 5\.00 to 3\.50/);
  });
  it('does not fire on a slow slide spread over more than the window', () => {
    const state = createDropState();
    const fired = [5, 5, 5, 5, 4, 4, 4, 4, 3, 3, 3, 3].map((r, i) => applyDrop(rule, state, f(r), T0 + i * 6 * 60_000));
    expect(fired.filter(Boolean)).toHaveLength(0);
  });
  it('ignores other scales', () => {
    expect(applyDrop(rule, createDropState(), { rating: 0, scale: 'nps', low: true }, T0)).toBeNull();
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
  it('the notifier sends each stored alert once and records delivery; a restart resends only unfinished ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fp-alerts-'));
    const file = join(dir, 'alerts.jsonl');
    const { url, calls } = await receiver([200]);
    const store = await openAlertStore(file);
    const alert = evaluate(feedback('evt-9', 1, 'stars', 'broken'))!;
    const notifier = createNotifier({ url, store, retry: { baseDelayMs: 5 } });
    const record = await store.add(alert, 'pending');
    expect(await store.add(alert, 'pending')).toBeNull();
    notifier.send(record!);
    await notifier.idle();
    expect(calls).toHaveLength(1);
    expect(store.list(5)[0]).toMatchObject({ delivery: 'delivered', attempts: 1 });
    // An alert raised but never delivered (crash) is pending in the file.
    await store.add(evaluate(feedback('evt-10', 1, 'stars'))!, 'pending');
    await notifier.close();
    await store.close();

    const reopened = await openAlertStore(file);
    expect(reopened.has('evt-9')).toBe(true);
    expect(reopened.pending().map((r) => r.alert.id)).toEqual(['evt-10']);
    const again = createNotifier({ url, store: reopened, retry: { baseDelayMs: 5 } });
    await new Promise((r) => setTimeout(r, 10));
    await again.idle();
    expect(calls.map((c) => (c.body as { text: string }).text.includes('shop'))).toEqual([true, true]);
    expect(calls).toHaveLength(2);
    expect(reopened.pending()).toEqual([]);
    await again.close();
    await reopened.close();
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(4); // alert + delivery, twice
    await rm(dir, { recursive: true });
  });

  it('with a deadline, keeps retrying a webhook that is down past 6 tries, and stops at the deadline', async () => {
    const { url, calls } = await receiver([503, 503, 503, 503, 503, 503, 503, 503, 200]);
    expect(await postWithRetry(url, {}, { baseDelayMs: 2, maxDelayMs: 5, giveUpAt: Date.now() + 10_000 })).toMatchObject({ ok: true, attempts: 9 });
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

  it('sends only alerts about fresh feedback: an old one is recorded as stale, without a call', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fp-alerts-'));
    const { url, calls } = await receiver([200]);
    const store = await openAlertStore(join(dir, 'alerts.jsonl'));
    const notifier = createNotifier({ url, store, retry: { baseDelayMs: 5 }, sendWithinMinutes: 60 });
    const old = { ...evaluate(feedback('evt-old', 1, 'stars'))!, at: Date.now() - 2 * 3600_000 };
    const recent = { ...evaluate(feedback('evt-new', 1, 'stars'))!, at: Date.now() - 60_000 };
    expect(notifier.fresh(old)).toBe(false);
    expect(notifier.fresh(recent)).toBe(true);
    // Queued while fresh, stale by the time a slot is free (e.g. a restart after a long stop).
    notifier.send((await store.add(old, 'pending'))!);
    notifier.send((await store.add(recent, 'pending'))!);
    await notifier.idle();
    expect(calls).toHaveLength(1);
    expect(store.list(5).map((r) => [r.alert.id, r.delivery])).toEqual([['evt-new', 'delivered'], ['evt-old', 'stale']]);
    await notifier.close();
    await store.close();
    await rm(dir, { recursive: true });
  });

});

describe('alert store bound', () => {
  it('keeps the newest N alerts in memory and in the file once a checkpoint released them, and counts the rest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fp-alerts-'));
    const file = join(dir, 'alerts.jsonl');
    const store = await openAlertStore(file, { keep: 10 });
    const raise = async (i: number, project = i % 2 ? 'shop' : 'blog') => {
      const event = { ...feedback(`evt-${String(i).padStart(3, '0')}`, 1, 'stars', 'broken'), anonymousId: `v${i}`, project };
      return store.add(evaluate(event)!, 'off');
    };
    for (let i = 0; i < 30; i++) await raise(i);
    // Not released by a checkpoint yet: nothing may be dropped, whatever the bound.
    await store.release(0);
    expect(store.list(100)).toHaveLength(30);
    const mark = store.mark();
    for (let i = 30; i < 33; i++) await raise(i);
    await store.release(mark);
    const held = store.list(100).map((r) => r.alert.id);
    // The newest 10 stay; so do the 3 raised after the mark (not yet covered by a checkpoint).
    expect(held).toEqual(Array.from({ length: 10 }, (_, k) => `evt-${String(32 - k).padStart(3, '0')}`));
    expect(store.count()).toBe(33);
    expect(store.count('shop')).toBe(16);
    expect(store.list(3, 'blog').map((r) => r.alert.id)).toEqual(['evt-032', 'evt-030', 'evt-028']);
    expect(store.has('evt-022')).toBe(false);
    expect(store.has('evt-023')).toBe(true);
    await store.close();

    const lines = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { kind: string });
    expect(lines.filter((l) => l.kind === 'alert')).toHaveLength(10);
    const reopened = await openAlertStore(file, { keep: 10 });
    expect(reopened.count()).toBe(33);
    expect(reopened.count('blog')).toBe(17);
    expect(reopened.projects()).toEqual(['blog', 'shop']);
    expect(reopened.list(100).map((r) => r.alert.id)).toEqual(held);
    // A held event still never alerts twice after the reopen.
    expect(await reopened.add(evaluate({ ...feedback('evt-032', 1, 'stars', 'broken'), anonymousId: 'v32' })!, 'off')).toBeNull();
    await reopened.close();
    await rm(dir, { recursive: true });
  });
});
