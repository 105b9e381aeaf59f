// Options from the environment, user-agent families, country headers, and the token bucket.
import { describe, it, expect } from 'vitest';
import { resolveOptions, type CollectorOptions } from '../../src/collector/options.js';
import { parseBrokerSpec } from '../../src/server/brokers/spec.js';
import { selectSource } from '../../src/consumer/sources/select';
import { uaFamily, countryOf } from '../../src/collector/enrich.js';
import { createRateLimiter } from '../../src/collector/rate-limit.js';
import { parseMaxConnectionsEnv } from '../../src/collector/server-limits.js';
import { resolveServerSettings } from '../../src/consumer/settings';

describe('options', () => {
  it('reads FEEDPULSE_* variables, and code options win', () => {
    const env = {
      FEEDPULSE_BROKER: 'nats://127.0.0.1:4222', FEEDPULSE_DATA: '/var/lib/fp', FEEDPULSE_ORIGINS: 'https://a.example, https://b.example',
      FEEDPULSE_KEYS: 'pk_1:shop,pk_1:blog,pk_2:docs', FEEDPULSE_BODY_LIMIT: '2048', FEEDPULSE_BATCH_LIMIT: '10',
      FEEDPULSE_RATE_LIMIT: '5:9', FEEDPULSE_TRUST_PROXY: '1', FEEDPULSE_SINK_TIMEOUT_MS: '900', FEEDPULSE_LOG: 'off',
    };
    const o = resolveOptions({}, env);
    expect(o).toMatchObject({
      sink: 'nats://127.0.0.1:4222', dataDir: '/var/lib/fp', allowedOrigins: ['https://a.example', 'https://b.example'],
      keys: { pk_1: ['shop', 'blog'], pk_2: ['docs'] }, bodyLimit: 2048, batchLimit: 10, rateLimit: { perSecond: 5, burst: 9 },
      trustProxy: true, sinkTimeoutMs: 900, log: false,
    });
    expect(resolveOptions({ sink: 'embedded', rateLimit: false, allowedOrigins: '*' }, env)).toMatchObject({ sink: 'embedded', rateLimit: false, allowedOrigins: '*' });
    expect(resolveOptions({}, { FEEDPULSE_RATE_LIMIT: 'off' }).rateLimit).toBe(false);
    expect(resolveOptions({}, {})).toMatchObject({ sink: undefined, dataDir: '.feedpulse', allowedOrigins: '*', keys: undefined, bodyLimit: 1048576, batchLimit: 500, log: true });
    // An empty dataDir counts as unset, as FEEDPULSE_DATA='' does (it wrote to ./log before).
    expect(resolveOptions({ dataDir: '' }, {}).dataDir).toBe('.feedpulse');
    expect(resolveOptions({ dataDir: '' }, { FEEDPULSE_DATA: '/srv/fp' }).dataDir).toBe('/srv/fp');
  });
});

describe('enrichment', () => {
  it.each([
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'Chrome'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0', 'Edge'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1', 'Safari'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1', 'Chrome'],
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'bot'],
    ['curl/8.5.0', 'curl'],
    ['something else', 'other'],
  ])('%s → %s', (ua, family) => expect(uaFamily(ua)).toBe(family));

  it('takes the country from CDN headers, ignoring unknown markers', () => {
    expect(countryOf({ 'cf-ipcountry': 'de' })).toBe('DE');
    expect(countryOf({ 'x-vercel-ip-country': 'FR' })).toBe('FR');
    expect(countryOf({ 'cf-ipcountry': 'XX' })).toBeUndefined();
    expect(countryOf({ 'cf-ipcountry': 'T1' })).toBeUndefined();
    expect(countryOf({ 'cf-ipcountry': 'Germany' })).toBeUndefined();
    expect(countryOf({})).toBeUndefined();
  });
});

describe('token bucket', () => {
  it('allows the burst, then refills at the rate, with a Retry-After in seconds', () => {
    let now = 0;
    const limiter = createRateLimiter({ perSecond: 2, burst: 3 }, () => now);
    expect([1, 2, 3].map(() => limiter.take('a').ok)).toEqual([true, true, true]);
    const refused = limiter.take('a');
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('b').ok).toBe(true); // another key, its own bucket
    now += 500; // one token back
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
    now += 60_000;
    limiter.take('c'); // sweeps refilled buckets
    expect(limiter.size()).toBe(1);
  });
});

describe('FEEDPULSE_BROKER', () => {
  it('is read the same way by the sink and the dashboard consumer: embedded, spaces, scheme case', () => {
    for (const spec of [undefined, '', ' embedded ', 'EMBEDDED']) {
      expect(parseBrokerSpec(spec)).toEqual({ kind: 'embedded' });
      expect(selectSource({ broker: spec, dataDir: '/tmp/fp-unused' }).id).toBe('embedded');
    }
    expect(parseBrokerSpec(' NATS://127.0.0.1:4222 ')).toEqual({ kind: 'nats', url: 'NATS://127.0.0.1:4222' });
    expect(parseBrokerSpec('amqps://u:p@h:5671')).toEqual({ kind: 'amqp', url: 'amqps://u:p@h:5671' });
  });

  it('a mistyped value is refused without repeating its password', () => {
    for (const fn of [() => parseBrokerSpec('amqq://guest:s3cret@host:5672'), () => selectSource({ broker: 'amqq://guest:s3cret@host:5672', dataDir: '/tmp/fp-unused' })]) {
      expect(fn).toThrow('unknown sink "amqq://guest:***@host:5672"');
    }
  });

  it('a URL that cannot be parsed is a bad setting, not a broker that is down', () => {
    expect(() => parseBrokerSpec('amqp://guest:s3cret@rabbit internal:5672')).toThrow('FEEDPULSE_BROKER: "amqp://guest:***@rabbit internal:5672" is not a valid URL (e.g. amqp://user:pass@host:5672)');
    expect(() => selectSource({ broker: 'amqp://bad url', dataDir: '/tmp/fp-unused' })).toThrow(/"amqp:\/\/bad url" is not a valid URL/);
    expect(() => parseBrokerSpec('nats://a:4222,b c:4222')).toThrow('FEEDPULSE_BROKER: "b c:4222" is not a valid URL (e.g. nats://host:4222)');
    expect(parseBrokerSpec('nats://a:4222, b:4222')).toEqual({ kind: 'nats', url: 'nats://a:4222, b:4222' });
    expect(parseBrokerSpec('amqp://u:p%40ss@h:5672/%2F?heartbeat=10')).toEqual({ kind: 'amqp', url: 'amqp://u:p%40ss@h:5672/%2F?heartbeat=10' });
  });
});

describe('malformed settings stop the start (never a silent default)', () => {
  it('FEEDPULSE_KEYS: a malformed entry fails closed instead of leaving no keys (open)', () => {
    const cases: [string, RegExp][] = [
      ['garbage', /FEEDPULSE_KEYS: entry 1 of 1 has no ":"/],
      ['pk1=shop-web', /FEEDPULSE_KEYS: entry 1 of 1 has no ":"/],
      ['k1:', /FEEDPULSE_KEYS: entry 1 of 1 \(key "k1"\) has no project/],
      [':shop', /entry 1 of 1 has no key before ":"/],
      ['k1:shop,', /entry 2 of 2 is empty/],
      ['k1:shop,k2:a:b', /entry 2 of 2 \(key "k2"\) has more than one ":"/],
      ['k1:__proto__', /entry 1 of 1 \(key "k1"\) names an invalid project/],
      ['k1:shop web', /names an invalid project/],
    ];
    for (const [value, message] of cases) {
      expect(() => resolveOptions({}, { FEEDPULSE_KEYS: value }), value).toThrow(message);
    }
    // The message names the form, and never repeats a whole entry (it may be a key without its project).
    expect(() => resolveOptions({}, { FEEDPULSE_KEYS: 'pk_live_secret' })).toThrow(/key:project\[,key:project…\]/);
    expect(() => resolveOptions({}, { FEEDPULSE_KEYS: 'pk_live_secret' })).not.toThrow(/pk_live_secret/);
    expect(resolveOptions({}, { FEEDPULSE_KEYS: ' pk_1 : shop , pk_2:blog ' }).keys).toEqual({ pk_1: ['shop'], pk_2: ['blog'] });
    expect(resolveOptions({}, { FEEDPULSE_KEYS: '  ' }).keys).toBeUndefined();
  });

  it('the keys option: an empty key, no project or an invalid project is refused', () => {
    expect(() => resolveOptions({ keys: { '': 'shop' } }, {})).toThrow(/keys: an empty key/);
    expect(() => resolveOptions({ keys: { k1: [] } }, {})).toThrow(/keys: key "k1" has no project/);
    expect(() => resolveOptions({ keys: { k1: 'constructor' } }, {})).toThrow(/keys: key "k1" names an invalid project/);
    expect(resolveOptions({ keys: { k1: ['shop', 'blog'] } }, {}).keys).toEqual({ k1: ['shop', 'blog'] });
  });

  it('numbers: bad values name the variable, the value and what is allowed', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ FEEDPULSE_RATE_LIMIT: 'abc' }, /FEEDPULSE_RATE_LIMIT: "abc" is not perSecond\[:burst\].*or off/],
      [{ FEEDPULSE_RATE_LIMIT: '-5' }, /FEEDPULSE_RATE_LIMIT: "-5"/],
      [{ FEEDPULSE_RATE_LIMIT: '5:x' }, /FEEDPULSE_RATE_LIMIT: "5:x"/],
      [{ FEEDPULSE_BODY_LIMIT: '1mb' }, /FEEDPULSE_BODY_LIMIT: "1mb" is not a whole number of bytes ≥ 1/],
      [{ FEEDPULSE_BODY_LIMIT: '0' }, /FEEDPULSE_BODY_LIMIT: "0"/],
      [{ FEEDPULSE_BATCH_LIMIT: '-1' }, /FEEDPULSE_BATCH_LIMIT: "-1" is not a whole number of events ≥ 1/],
      [{ FEEDPULSE_SINK_TIMEOUT_MS: 'abc' }, /FEEDPULSE_SINK_TIMEOUT_MS: "abc" is not a whole number of milliseconds ≥ 1/],
    ];
    for (const [env, message] of cases) expect(() => resolveOptions({}, env), JSON.stringify(env)).toThrow(message);
    expect(() => resolveOptions({ bodyLimit: 0 }, {})).toThrow(/bodyLimit: 0 is not a whole number ≥ 1/);
    // The documented off values and valid numbers still work.
    for (const off of ['off', 'OFF', '0', 'false', 'none']) expect(resolveOptions({}, { FEEDPULSE_RATE_LIMIT: off }).rateLimit).toBe(false);
    expect(resolveOptions({}, { FEEDPULSE_RATE_LIMIT: '0.5' }).rateLimit).toEqual({ perSecond: 0.5 });
    expect(resolveOptions({}, { FEEDPULSE_BODY_LIMIT: ' 2048 ', FEEDPULSE_SINK_TIMEOUT_MS: '' })).toMatchObject({ bodyLimit: 2048, sinkTimeoutMs: 5000 });
  });

  it('every code option is checked, with a message naming it (rateLimit NaN / -5 must not mean "off")', () => {
    const cases: [CollectorOptions, RegExp][] = [
      [{ rateLimit: { perSecond: -5 } }, /rateLimit\.perSecond: -5 is not a number > 0/],
      [{ rateLimit: { perSecond: Number.NaN } }, /rateLimit\.perSecond: NaN/],
      [{ rateLimit: { perSecond: Number.POSITIVE_INFINITY } }, /rateLimit\.perSecond: Infinity/],
      [{ rateLimit: { perSecond: '5' as unknown as number } }, /rateLimit\.perSecond: 5 is not a number/],
      [{ rateLimit: { perSecond: 5, burst: 0 } }, /rateLimit\.burst: 0 is not a number ≥ 1/],
      [{ rateLimit: { perSecond: 5, maxBuckets: 0.5 } }, /rateLimit\.maxBuckets: 0\.5/],
      [{ rateLimit: true as unknown as false }, /rateLimit: expected false or \{ perSecond, burst\? \}/],
      [{ bodyTimeoutMs: -1 }, /bodyTimeoutMs: -1 is not a number > 0/],
      [{ bodyTimeoutMs: Number.NaN }, /bodyTimeoutMs: NaN/],
      [{ maxEventAgeMs: 0 }, /maxEventAgeMs: 0 is not a number > 0/],
      [{ skewToleranceMs: -1 }, /skewToleranceMs: -1 is not a number ≥ 0/],
      [{ skewToleranceMs: Number.NaN }, /skewToleranceMs: NaN/],
      [{ sinkTimeoutMs: Number.POSITIVE_INFINITY }, /sinkTimeoutMs: Infinity/],
      [{ bodyLimit: 1.5 }, /bodyLimit: 1\.5 is not a whole number ≥ 1/],
      [{ batchLimit: 0.5 }, /batchLimit: 0\.5 is not a whole number ≥ 1/],
      [{ path: 'v1/events' }, /path: "v1\/events" is not a URL path/],
      [{ path: '/v1/events/' }, /path: "\/v1\/events\/"/],
      [{ path: '/v1/events?x=1' }, /path: "\/v1\/events\?x=1"/],
      [{ path: '' }, /path: "" is not a URL path/],
      [{ path: 5 as unknown as string }, /path: 5 is not a URL path/],
      [{ trustProxy: 'yes' as unknown as boolean }, /trustProxy: expected true or false/],
      [{ log: 'off' as unknown as boolean }, /log: expected true, false or a function/],
      [{ dataDir: 7 as unknown as string }, /dataDir: expected a folder path/],
      [{ sink: 42 as unknown as string }, /sink: expected a sink spec/],
      [{ sinkOptions: 'fast' as unknown as object }, /sinkOptions: expected an object/],
    ];
    for (const [options, message] of cases) expect(() => resolveOptions(options, {}), String(message)).toThrow(message);
    // Valid values still pass.
    expect(resolveOptions({ rateLimit: { perSecond: 0.5, burst: 1 }, bodyTimeoutMs: 500, maxEventAgeMs: 1000, skewToleranceMs: 0, path: '/api/v2/collect', trustProxy: false }, {}))
      .toMatchObject({ rateLimit: { perSecond: 0.5, burst: 1 }, bodyTimeoutMs: 500, maxEventAgeMs: 1000, skewToleranceMs: 0, path: '/api/v2/collect', trustProxy: false });
  });

  it('on/off variables: the usual words both ways, any other word stops the start', () => {
    for (const [text, on] of [['1', true], ['TRUE', true], [' yes ', true], ['on', true], ['0', false], ['False', false], ['no', false], ['OFF', false]] as const) {
      expect(resolveOptions({}, { FEEDPULSE_TRUST_PROXY: text }).trustProxy, text).toBe(on);
      expect(resolveOptions({}, { FEEDPULSE_LOG: text }).log, text).toBe(on);
      expect(resolveServerSettings({}, { FEEDPULSE_SIMULATE: text }).simulate, text).toBe(on);
    }
    expect(resolveOptions({}, { FEEDPULSE_TRUST_PROXY: ' ' }).trustProxy).toBe(false);
    expect(resolveOptions({ trustProxy: true }, { FEEDPULSE_TRUST_PROXY: 'no' }).trustProxy).toBe(true);
    // FEEDPULSE_TRUST_PROXY=enabled was read as off: behind a proxy, every visitor one client IP.
    expect(() => resolveOptions({}, { FEEDPULSE_TRUST_PROXY: 'enabled' })).toThrow('FEEDPULSE_TRUST_PROXY: "enabled" is neither on nor off (use 1, true, yes, on or 0, false, no, off)');
    expect(() => resolveOptions({}, { FEEDPULSE_LOG: 'verbose' })).toThrow(/^FEEDPULSE_LOG: "verbose" is neither on nor off/);
    expect(() => resolveServerSettings({}, { FEEDPULSE_SIMULATE: 'disabled' })).toThrow(/^FEEDPULSE_SIMULATE: "disabled" is neither on nor off/);
  });

  it('FEEDPULSE_MAX_CONNECTIONS_PER_IP: a whole number ≥ 1 or off, anything else stops the start', () => {
    expect(parseMaxConnectionsEnv(undefined)).toBeUndefined();
    expect(parseMaxConnectionsEnv(' 32 ')).toBe(32);
    expect(parseMaxConnectionsEnv('OFF')).toBe(false);
    for (const bad of ['0', '-1', '1.5', 'many']) expect(() => parseMaxConnectionsEnv(bad), bad).toThrow(/FEEDPULSE_MAX_CONNECTIONS_PER_IP: ".*" is not a whole number of connections ≥ 1, or off/);
  });

  it('FEEDPULSE_ORIGINS: an entry that is not scheme://host[:port] is refused; valid ones are normalised', () => {
    expect(() => resolveOptions({}, { FEEDPULSE_ORIGINS: 'https://a.example,shop.example' }))
      .toThrow('FEEDPULSE_ORIGINS: "shop.example" is not an origin (scheme://host[:port], e.g. https://shop.example), or * alone');
    expect(() => resolveOptions({}, { FEEDPULSE_ORIGINS: 'https://a.example/app' })).toThrow(/"https:\/\/a.example\/app" is not an origin/);
    expect(() => resolveOptions({}, { FEEDPULSE_ORIGINS: '*,https://a.example' })).toThrow(/"\*" is not an origin/);
    expect(() => resolveOptions({ allowedOrigins: ['shop.example'] }, {})).toThrow(/allowedOrigins: "shop.example" is not an origin/);
    expect(resolveOptions({}, { FEEDPULSE_ORIGINS: 'https://Shop.Example/, http://localhost:8080, https://x.example:443' }).allowedOrigins)
      .toEqual(['https://shop.example', 'http://localhost:8080', 'https://x.example']);
    expect(resolveOptions({}, { FEEDPULSE_ORIGINS: ' * ' }).allowedOrigins).toBe('*');
  });
});
