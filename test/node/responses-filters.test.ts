// The responses filter as read from a URL: each parameter parsed, each bad value a 400 that names
// the parameter and says what it takes.
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMIT, MAX_LIMIT, parseResponsesFilter } from '../../src/consumer/responses/filters';
import { encodeCursor } from '../../src/consumer/responses/cursor';

const parse = (query: string) => parseResponsesFilter(new URLSearchParams(query));

describe('parseResponsesFilter', () => {
  it('reads every parameter', () => {
    const cursor = encodeCursor({ atMicros: 1_764_000_000_000_000, id: 'evt-9' });
    const result = parse(`project=shop&from=2026-12-01&to=2026-12-03T10:00:00Z&scale=nps&min=0&max=6&page=/checkout*&q=refund%20-late&status=new&tag=billing&comment=yes&sentiment=negative&language=de&visitor=anon-1&user=u-7&limit=500&cursor=${cursor}&format=csv`);
    expect(result).toEqual({
      ok: true,
      filter: {
        project: 'shop', from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-03T10:00:00Z'), scale: 'nps', min: 0, max: 6,
        page: { path: '/checkout', prefix: true }, q: 'refund -late', status: 'new', tag: 'billing', comment: true, sentiment: 'negative',
        language: 'de', visitor: 'anon-1', user: 'u-7', limit: 500, cursor: { atMicros: 1_764_000_000_000_000, id: 'evt-9' },
      },
    });
  });

  it('defaults: no conditions, limit 50; empty values are absent; an exact page without *', () => {
    expect(parse('')).toEqual({ ok: true, filter: { limit: DEFAULT_LIMIT } });
    expect(parse('project=&q=&status=')).toEqual({ ok: true, filter: { limit: DEFAULT_LIMIT } });
    const exact = parse('page=/checkout');
    expect(exact.ok && exact.filter.page).toEqual({ path: '/checkout', prefix: false });
    const local = parse('from=2026-12-01T08:30');
    expect(local.ok && local.filter.from).toEqual(new Date('2026-12-01T08:30:00Z'));
  });

  it.each([
    ['project=__proto__', 'project', /A–Z/],
    ['project=a%20b', 'project', /A–Z/],
    ['from=yesterday', 'from', /ISO date/],
    ['to=2026-13-45', 'to', /ISO date/],
    ['from=2026-12-03&to=2026-12-01', 'to', /later than from/],
    ['scale=toString', 'scale', /stars, nps/],
    ['min=-1', 'min', /0 to 10/],
    ['max=2.5', 'max', /whole number/],
    ['min=7&max=3', 'max', /at least min/],
    ['page=checkout', 'page', /starting with \//],
    ['status=archived', 'status', /new, seen, resolved/],
    ['tag=%3Cscript%3E', 'tag', /letters, digits/],
    ['comment=maybe', 'comment', /yes, no/],
    ['sentiment=angry', 'sentiment', /positive, neutral, negative/],
    ['language=English', 'language', /language code/],
    ['limit=0', 'limit', /1 to 500/],
    [`limit=${MAX_LIMIT + 1}`, 'limit', /1 to 500/],
    ['cursor=not-a-cursor', 'cursor', /next/],
    [`cursor=${Buffer.from('{"__proto__":1}').toString('base64url')}`, 'cursor', /next/],
    ['q=' + 'x'.repeat(201), 'q', /longer than 200/],
    ['page=/a%00b', 'page', /control characters/],
    ['visitor=' + 'v'.repeat(129), 'visitor', /longer than 128/],
    ['status=new&status=seen', 'status', /more than once/],
    ['sort=score', 'sort', /unknown parameter/],
  ])('%s → 400 naming %s', (query, parameter, message) => {
    const result = parse(query);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBe('invalid_parameter');
    expect(result.parameter).toBe(parameter);
    expect(result.message).toMatch(message);
  });
});

describe('FEEDPULSE_RETENTION_DAYS', () => {
  it('takes whole days ≥ 1; unset is the default; anything else stops the start', async () => {
    const { retentionDaysEnv } = await import('../../src/consumer/responses/retention');
    expect(retentionDaysEnv(undefined)).toBeUndefined();
    expect(retentionDaysEnv(' ')).toBeUndefined();
    expect(retentionDaysEnv('30')).toBe(30);
    for (const bad of ['0', '-5', '1.5', 'ninety']) expect(() => retentionDaysEnv(bad), bad).toThrow(/FEEDPULSE_RETENTION_DAYS/);
  });
});
