import { describe, it, expect, vi, afterEach } from 'vitest';
import { publish } from '../../src/embed/stub';
import type { FeedpulseClient } from '../../src/core/types';

function fakeClient(log: string[]): FeedpulseClient {
  return {
    track: async (name) => { log.push(`track:${name}`); },
    feedback: async (input) => { log.push(`feedback:${input.rating}`); },
    identify: async (id) => { log.push(`identify:${id}`); },
    open: () => { log.push('open'); },
    close: () => { log.push('close'); },
    flush: async () => ({ sent: 3, pending: 0 }),
    shutdown: async () => { log.push('shutdown'); },
    on: () => () => {},
    setConsent: (c) => { log.push(`consent:${c}`); },
    status: () => ({ pending: 0, online: true, storage: 'indexeddb' }),
  };
}

describe('window.feedpulse', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('replays the snippet queue in order, then push() calls methods at once', async () => {
    const log: string[] = [];
    vi.stubGlobal('window', {});
    const api = publish(fakeClient(log), [['identify', 'u-42'], ['track', 'early'], ['open'], ['setConsent', 'granted']]);
    expect((window as unknown as { feedpulse: unknown }).feedpulse).toBe(api);
    expect(log).toEqual(['identify:u-42', 'track:early', 'open', 'consent:granted']);
    expect(await api.flush()).toEqual({ sent: 3, pending: 0 });
    api.push(['feedback', { rating: 5, scale: 'stars' }]);
    expect(log.at(-1)).toBe('feedback:5');
  });

  it('unknown methods and malformed pushes are ignored without throwing', () => {
    const log: string[] = [];
    vi.stubGlobal('window', {});
    const api = publish(fakeClient(log), [['explode'], undefined]);
    expect(() => api.push(['explode' as 'open'])).not.toThrow();
    expect(() => api.push(undefined as unknown as ['open'])).not.toThrow();
    expect(() => api.push(['push' as 'open'])).not.toThrow();
    expect(log).toEqual([]);
  });

  it('without a client (start-up failed) push() is still harmless', () => {
    vi.stubGlobal('window', {});
    const api = publish({}, [['track', 'x']]);
    expect(() => api.push(['track', 'y'])).not.toThrow();
  });
});
