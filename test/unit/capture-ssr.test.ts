// Capture functions called where there is no page (server-side rendering, tests in Node): they
// return harmless values and never throw.
import { describe, it, expect } from 'vitest';
import { startAutocapture } from '../../src/core/autocapture';
import { watchRoutes } from '../../src/core/routes';
import { pageContext } from '../../src/core/page';
import { cssSelector } from '../../src/core/selector';
import { anonymousId, sessionId } from '../../src/core/identity';

describe('capture without a DOM', () => {
  it('never throws and returns usable values', () => {
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
    const stopClicks = startAutocapture(() => {});
    const stopRoutes = watchRoutes(() => {});
    expect(() => { stopClicks(); stopRoutes(); stopRoutes(); }).not.toThrow();
    expect(pageContext()).toEqual({ url: '', path: '' });
    expect(cssSelector({} as Element)).toBe('');
    expect(anonymousId('ssr')).toMatch(/^[\w-]{21}$/);
    expect(sessionId('ssr')).toMatch(/^[\w-]{21}$/);
  });
});

describe('the client and init() without a DOM (server-side rendering)', () => {
  it('stay inert: every method resolves, nothing is stored or sent, no warning, status() works', async () => {
    const { createClient } = await import('../../src/core/client');
    const { init } = await import('../../src/widget/init');
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => { warnings.push(args.join(' ')); };
    try {
      for (const client of [createClient({ endpoint: 'https://collect.example/v1/events', project: 'ssr' }),
        init({ endpoint: 'https://collect.example/v1/events', project: 'ssr' })]) {
        await expect(client.track('rendered')).resolves.toBeUndefined();
        await expect(client.feedback({ rating: 5, scale: 'stars' })).resolves.toBeUndefined();
        expect(client.status()).toEqual({ pending: 0, online: false, storage: 'indexeddb', consent: 'granted' });
        expect(await client.flush()).toEqual({ sent: 0, pending: 0 });
        client.open();
        await client.shutdown();
      }
    } finally {
      console.warn = warn;
    }
    expect(warnings).toEqual([]);
  });
});
