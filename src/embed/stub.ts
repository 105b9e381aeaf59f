// window.feedpulse: the client's methods plus `push([method, ...args])`, which serves the async snippet
// `window.feedpulse = window.feedpulse || []; feedpulse.push(['track', 'signup'])`: the calls queued in
// that array are replayed in order, and later pushes call the method at once. An unknown method is ignored.
import type { FeedpulseClient } from '../core/types';

type Call = [method: string, ...args: unknown[]];
export type WindowFeedpulse = FeedpulseClient & { push(call: Call): void };

export function publish(client: Partial<FeedpulseClient>, queued: unknown): WindowFeedpulse {
  const api: Record<string, unknown> = { ...client };
  api.push = (call: Call) => (api[call?.[0]] as ((...args: unknown[]) => unknown) | undefined)?.(...call.slice(1));
  (window as { feedpulse?: unknown }).feedpulse = api;
  (queued as Call[] | undefined)?.forEach(api.push as (call: Call) => void);
  return api as unknown as WindowFeedpulse;
}
