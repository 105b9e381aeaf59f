// PII scrubber: what is replaced and, as important, what ordinary text survives untouched.
import { describe, it, expect } from 'vitest';
import { scrubText, scrubDeep } from '../../src/core/scrub';

const replaced: [string, string][] = [
  // e-mail addresses
  ['mail me at john.doe+shop@example.co.uk please', 'mail me at [email] please'],
  ['JANE_O%X@Sub-Domain.Example.COM', '[email]'],
  ['a@b.io, c.d@e.org', '[email], [email]'],
  // cards (Luhn-valid test numbers), plain and grouped
  ['card 4111111111111111 ok', 'card [card] ok'],
  ['4111 1111 1111 1111', '[card]'],
  ['4111-1111-1111-1111', '[card]'],
  ['amex 3782 822463 10005', 'amex [card]'],
  ['mc 5555555555554444.', 'mc [card].'],
  ['19 digits 6011 0009 9013 9424 124', '19 digits [card]'],
  ['diners 3056 9309 0259 04', 'diners [card]'],
  // phones in several formats
  ['call +1 (555) 123-4567 today', 'call [phone] today'],
  ['555-123-4567', '[phone]'],
  ['(555) 123 4567', '[phone]'],
  ['555.123.4567', '[phone]'],
  ['+44 20 7946 0958', '[phone]'],
  ['020 7946 0958', '[phone]'],
  ['+4915112345678', '[phone]'],
  ['01 23 45 67 89', '[phone]'],
  ['tel: +33 1 23 45 67 89.', 'tel: [phone].'],
  ['1-800-555-0199', '[phone]'],
  ['zip 10115 Berlin 030 1234567', 'zip 10115 Berlin [phone]'],
  ['07911 123456 or 0800 123 456', '[phone] or [phone]'],
  ['+1.555.123.4567', '[phone]'],
  ['555 123 4567 12:00', '[phone] 12:00'],
  ['both x@y.com and 555-123-4567', 'both [email] and [phone]'],
];

const kept = [
  'Great checkout, took 2 minutes!',
  'Order #123456789 arrived late',
  'order 4111111111111112 is not a card (Luhn fails)',
  'invoice INV-2024-000123',
  'on 2024-01-15 and 15/01/2024 and 1.15.2024',
  'price $1,299.99 or €1 299 000',
  'server 192.168.100.200 version 10.2.3',
  'rated 5 4 3 2 1',
  'pi is 3.14159265',
  'at 10:30-11:45',
  'tracking 1Z999AA10123456784',
  'SKU 12345',
  'user@ without domain, @handle',
  'on 2024-01-15 10:30 ok',
  'from 1000-2000 units, years 1990-2020',
  'ids 12345 67890, ticket 2024 000123',
  'ISBN 978-3-16-148410-0',
  '2024-01-15T10:30:00Z',
  'qty 100 200 300 400',
  'v1.2.3.4 and 1,234,567.89',
  'years 1999 2000 2001, code 342.459.412',
  '',
];

describe('scrubText', () => {
  it.each(replaced)('%j → %j', (input, output) => expect(scrubText(input)).toBe(output));
  it.each(kept)('keeps %j', (input) => expect(scrubText(input)).toBe(input));
  // Long single-token inputs once made the e-mail pattern retry from every position (quadratic:
  // 27 s for 100 KB). Bounded quantifiers keep this linear; a regression runs into the test timeout.
  it('handles 300 KB pathological inputs', () => {
    const blobs = ['a'.repeat(300_000), '1-'.repeat(150_000) + 'x', 'a.'.repeat(150_000) + '@', 'a@' + 'b.'.repeat(150_000) + '!'];
    for (const blob of blobs) expect(scrubText(blob + ' mail a@b.co')).toMatch(/ mail \[email\]$/);
  });
  it('returns non-strings unchanged', () => expect(scrubText(42 as unknown as string)).toBe(42));
});

describe('scrubDeep', () => {
  it('scrubs strings in nested objects, arrays and keys without touching the input', () => {
    const input = { a: 'x@y.com', n: 3, b: [1, '555-123-4567', { c: 'ok 4111 1111 1111 1111' }], 'k@e.io': true, d: null };
    const copy = JSON.parse(JSON.stringify(input));
    expect(scrubDeep(input)).toEqual({ a: '[email]', n: 3, b: [1, '[phone]', { c: 'ok [card]' }], '[email]': true, d: null });
    expect(input).toEqual(copy);
  });
  it('is cycle-safe and bounded in depth', () => {
    const a: Record<string, unknown> = { name: 'a@b.co' };
    a.self = a;
    a.list = [a];
    const out = scrubDeep(a) as Record<string, unknown>;
    expect(out.name).toBe('[email]');
    expect(out.self).toBeUndefined();
    expect(out.list).toEqual([undefined]);
    expect(() => JSON.stringify(out)).not.toThrow();
    let deep: unknown = 'leaf';
    for (let i = 0; i < 50; i++) deep = { x: deep };
    expect(() => JSON.stringify(scrubDeep(deep))).not.toThrow();
    let levels = 0;
    for (let o = scrubDeep(deep) as { x?: unknown } | undefined; o && typeof o === 'object'; o = o.x as typeof o) levels++;
    expect(levels).toBe(8);
  });
  it('keeps a shared (non-cyclic) object at every place it appears', () => {
    const shared = { e: 'q@r.st' };
    expect(scrubDeep({ a: shared, b: shared })).toEqual({ a: { e: '[email]' }, b: { e: '[email]' } });
  });
  it('sees values as JSON does: Dates become ISO strings, class instances are scrubbed too', () => {
    const d = new Date(0);
    class User { email = 'u@example.com'; n = 1; }
    expect(scrubDeep({ d, u: new User(), f: 1.5, b: false, nil: null })).toEqual({ d: '1970-01-01T00:00:00.000Z', u: { email: '[email]', n: 1 }, f: 1.5, b: false, nil: null });
    expect(scrubDeep('a@b.co')).toBe('[email]');
    expect(scrubDeep(undefined)).toBeUndefined();
    expect(scrubDeep(7)).toBe(7);
  });
  it('drops what cannot be read instead of throwing or passing it unscrubbed', () => {
    const hostile = { ok: 'x@y.io', get bad(): string { throw new Error('getter'); } };
    const { proxy, revoke } = Proxy.revocable({ a: 'a@b.co' }, {});
    revoke();
    expect(() => scrubDeep({ hostile, proxy })).not.toThrow();
    expect(scrubDeep({ keep: 'ok', hostile, proxy })).toEqual({ keep: 'ok', hostile: undefined, proxy: undefined });
    // A value whose reading threw leaves the depth count right for what follows it.
    let deep: unknown = 'leaf';
    for (let i = 0; i < 7; i++) deep = { x: deep }; // the innermost object is at depth 7, the last kept
    expect(scrubDeep({ hostile, deep })).toEqual({ hostile: undefined, deep });
  });
});
