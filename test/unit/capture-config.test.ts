// Config validation: defaults filled, one warning per bad setting naming the default, the SDK
// disabled (null) without endpoint/project, and never an exception whatever comes in.
import { describe, it, expect } from 'vitest';
import { checkEvent } from '../../src/collector/validate';
import { resolveConfig } from '../../src/core/config';
import type { ClientConfig } from '../../src/core/types';

const base = { endpoint: 'https://collect.example.com/v1/events', project: 'shop-web' };
function run(input: unknown) {
  const warnings: string[] = [];
  const out = resolveConfig(input as ClientConfig, (m) => warnings.push(m));
  return { out, warnings };
}

describe('resolveConfig', () => {
  it('fills every default without warnings', () => {
    const { out, warnings } = run(base);
    expect(warnings).toEqual([]);
    expect(out).toEqual({
      ...base, transport: 'json', topic: 'feedpulse.events', headers: {}, batchSize: 50, batchBytes: 60000,
      flushInterval: 1000, maxQueueEvents: 5000, maxQueueBytes: 5_000_000, maxRetryDelay: 30_000, autocapture: 'clicks',
      pageviews: true, sampleRate: 1, consent: 'granted', scrubPII: true, debug: false, beforeSend: undefined,
    });
  });

  it('keeps valid values and normalises autocapture booleans', () => {
    const beforeSend = () => null;
    const { out, warnings } = run({
      ...base, transport: 'kafka-rest', topic: 'fb.events', headers: { 'x-key': 'k' }, batchSize: 10, batchBytes: 1000,
      flushInterval: 0, maxQueueEvents: 10, maxQueueBytes: 1e6, autocapture: false, pageviews: false, sampleRate: 0,
      consent: 'pending', scrubPII: false, debug: true, beforeSend,
    });
    expect(warnings).toEqual([]);
    expect(out).toMatchObject({ transport: 'kafka-rest', topic: 'fb.events', headers: { 'x-key': 'k' }, batchSize: 10,
      flushInterval: 0, autocapture: 'off', pageviews: false, sampleRate: 0, consent: 'pending', scrubPII: false, debug: true });
    expect(out?.beforeSend).toBe(beforeSend);
    expect(run({ ...base, autocapture: true }).out?.autocapture).toBe('clicks');
    expect(run({ ...base, autocapture: 'off' }).out?.autocapture).toBe('off');
  });

  it('accepts numeric and boolean strings (script-tag attributes) and relative endpoints', () => {
    const { out, warnings } = run({ ...base, batchSize: '20', sampleRate: '0.5', debug: 'true', pageviews: 'false' });
    expect(warnings).toEqual([]);
    expect(out).toMatchObject({ batchSize: 20, sampleRate: 0.5, debug: true, pageviews: false });
    // Root- and protocol-relative endpoints are resolved by fetch against the page.
    expect(run({ endpoint: '/v1/events', project: 'p' }).out?.endpoint).toBe('/v1/events');
    expect(run({ endpoint: '//collect.example.com/e', project: 'p' }).out?.endpoint).toBe('//collect.example.com/e');
    expect(run({ endpoint: 'HTTPS://X.io/e', project: 'p' }).out?.endpoint).toBe('HTTPS://X.io/e');
    expect(run({ endpoint: 'v1/events', project: 'p' }).out).toBeNull();
  });

  const bad: [string, unknown, string][] = [
    ['batchSize', 'abc', 'feedpulse: batchSize "abc" is not valid; using 50'],
    ['batchSize', 0, 'feedpulse: batchSize 0 is not valid; using 50'],
    ['batchBytes', -5, 'feedpulse: batchBytes -5 is not valid; using 60000'],
    ['flushInterval', -1, 'feedpulse: flushInterval -1 is not valid; using 1000'],
    ['batchSize', 0.5, 'feedpulse: batchSize 0.5 is not valid; using 50'],
    ['topic', 7, 'feedpulse: topic 7 is not valid; using "feedpulse.events"'],
    ['flushInterval', NaN, 'feedpulse: flushInterval null is not valid; using 1000'],
    ['maxQueueEvents', Infinity, 'feedpulse: maxQueueEvents null is not valid; using 5000'],
    ['maxQueueBytes', {}, 'feedpulse: maxQueueBytes {} is not valid; using 5000000'],
    ['maxRetryDelay', 'soon', 'feedpulse: maxRetryDelay "soon" is not valid; using 30000'],
    ['transport', 'grpc', 'feedpulse: transport "grpc" is not valid; using "json"'],
    ['topic', 'bad topic!', 'feedpulse: topic "bad topic!" is not valid; using "feedpulse.events"'],
    ['autocapture', 'all', 'feedpulse: autocapture "all" is not valid; using "clicks"'],
    ['pageviews', 'yes', 'feedpulse: pageviews "yes" is not valid; using true'],
    ['sampleRate', 1.5, 'feedpulse: sampleRate 1.5 is not valid; using 1'],
    ['sampleRate', '', 'feedpulse: sampleRate "" is not valid; using 1'],
    ['consent', 'denied', 'feedpulse: consent "denied" is not valid; using "granted"'],
    ['scrubPII', 0, 'feedpulse: scrubPII 0 is not valid; using true'],
    ['debug', 'on', 'feedpulse: debug "on" is not valid; using false'],
    ['headers', { a: 1 }, 'feedpulse: headers {"a":1} is not valid; using {}'],
    ['beforeSend', 'x', 'feedpulse: beforeSend "x" is not valid; using undefined'],
  ];
  it.each(bad)('%s = %j: one warning naming the default', (key, value, message) => {
    const { out, warnings } = run({ ...base, [key]: value });
    expect(warnings).toEqual([message]);
    const defaults = run(base).out as unknown as Record<string, unknown>;
    expect((out as unknown as Record<string, unknown>)[key]).toEqual(defaults[key]);
  });

  it('warns once per bad setting when several are bad', () => {
    const { out, warnings } = run({ ...base, batchSize: 'x', sampleRate: 7, consent: 1 });
    expect(warnings).toHaveLength(3);
    expect(warnings.map((w) => w.split(' ')[1])).toEqual(['batchSize', 'sampleRate', 'consent']);
    expect(out).toMatchObject({ batchSize: 50, sampleRate: 1, consent: 'granted' });
  });

  const disabled: [string, unknown][] = [
    ['no config', undefined],
    ['null', null],
    ['a string', 'https://x'],
    ['no endpoint', { project: 'p' }],
    ['empty endpoint', { endpoint: '  ', project: 'p' }],
    ['non-http endpoint', { endpoint: 'javascript:alert(1)', project: 'p' }],
    ['unparsable endpoint', { endpoint: 'http://[bad', project: 'p' }],
    ['no project', { endpoint: 'https://x.io/e' }],
    ['empty project', { endpoint: 'https://x.io/e', project: '' }],
    ['javascript: endpoint with slashes', { endpoint: 'javascript://x/%0Aalert(1)', project: 'p' }],
    ['numeric project', { endpoint: 'https://x.io/e', project: 5 }],
    // What the collector refuses (invalid_project) would lose every event: refused here instead.
    ['project with dots', { endpoint: 'https://x.io/e', project: 'shop.example.com' }],
    ['project with a space', { endpoint: 'https://x.io/e', project: 'Shop Web' }],
    ['project of 65 characters', { endpoint: 'https://x.io/e', project: 'p'.repeat(65) }],
    ['project with a slash', { endpoint: 'https://x.io/e', project: 'shop/web' }],
  ];

  // Tied to the collector's own check of an event (checkEvent), not to a constant either side
  // could stop using: a name the SDK takes and the collector refuses loses every event.
  const collectorTakes = (project: string) => {
    const now = Date.now();
    const event = { id: 'abcdefgh12', type: 'pageview', ts: new Date(now).toISOString(), project, anonymousId: 'a', sessionId: 's', page: { url: 'https://x.io/', path: '/' } };
    return checkEvent(event, 0, { now, skewMs: 0, maxAgeMs: 864e5 }).ok;
  };
  it('takes every project name the collector takes, and none it refuses', () => {
    const names = ['shop-web', 'Shop_Web_2', 'p', 'p'.repeat(64), 'shop.web', 'shop web', 'p'.repeat(65), 'shöp', 'shop\nweb',
      '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__', 'Constructor', 'prototypes', '_proto_'];
    for (const project of names) {
      expect(!!run({ ...base, project }).out, project).toBe(collectorTakes(project));
    }
    expect(names.filter(collectorTakes)).toEqual(['shop-web', 'Shop_Web_2', 'p', 'p'.repeat(64), 'toString', 'hasOwnProperty',
      '__defineGetter__', 'Constructor', 'prototypes', '_proto_']);
    // Surrounding spaces (a script-tag attribute) are trimmed before the check.
    expect(run({ ...base, project: '  shop-web  ' }).out?.project).toBe('shop-web');
  });
  it.each(disabled)('%s: one warning that the SDK is disabled, null', (_, input) => {
    const { out, warnings } = run(input);
    expect(out).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^feedpulse: (endpoint|project) .* the SDK is disabled$/);
  });

  it('never throws, even on hostile input', () => {
    const hostile = new Proxy({}, { get() { throw new Error('boom'); } });
    const cyclic: Record<string, unknown> = { ...base };
    cyclic.headers = cyclic;
    const withGetter = { ...base, get batchSize(): number { throw new Error('getter'); } };
    for (const input of [hostile, cyclic, withGetter, Object.create(null), 42, [] as unknown]) {
      const warnings: string[] = [];
      expect(() => resolveConfig(input as ClientConfig, (m) => warnings.push(m))).not.toThrow();
      expect(warnings.length).toBeGreaterThan(0);
    }
    // A warn callback that throws is the caller's bug, but still must not escape.
    expect(() => resolveConfig({ ...base, batchSize: -1 }, () => { throw new Error('warn'); })).not.toThrow();
  });
});
