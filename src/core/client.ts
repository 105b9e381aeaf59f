// createClient (docs/sdk.md): the public API. Events are made by the recorder (recorder.ts) and
// delivered by the delivery engine (delivery.ts); this file wires them to the page (consent,
// pageviews, clicks, leaving) and guards every public method: nothing here throws into the host
// page, failures go to the `error` event (and the console when `debug`).
import type { ClientConfig, FeedbackInput, FeedpulseClient, FlushResult } from './types';
import { resolveConfig, type ResolvedConfig } from './config';
import { startAutocapture } from './autocapture';
import { watchRoutes } from './routes';
import { createEmitter } from './emitter';
import { openOutbox, type Outbox } from './outbox';
import { createRecorder } from './recorder';
import { createDelivery, type Delivery } from './delivery';
import { checkFeedback } from './feedback';

const noop = () => {};
const warn = (msg: string) => console.warn(msg);

// The live client of each project on this page. A second one would capture every pageview and click
// again under new ids, and drain the same outbox: createClient() and init() hand out the first one
// instead, with a warning. One module for both entries (the npm build shares dist/core.js), so
// createClient() from 'feedpulse/core' and init() from 'feedpulse' see the same map.
const running = new Map<string, FeedpulseClient>();

/** The client for `config`. Without a usable config (resolveConfig warns and answers null, it
 *  never throws) the client exists but stays off: every method is a no-op. */
export function createClient(config: ClientConfig): FeedpulseClient {
  const resolved = resolveConfig(config, warn);
  const live = resolved && running.get(resolved.project);
  if (live) {
    warn(`feedpulse: project ${resolved.project} has a client on this page already; using that one`);
    return live;
  }
  const cfg = resolved || ({} as ResolvedConfig);
  const { on, emit } = createEmitter();
  const { project } = cfg;
  const debug = (what: unknown) => {
    if (cfg.debug) console.debug('feedpulse:', what);
  };
  // Every `error`: to the listeners, and to the console under `debug`.
  const tell = (message: string, status?: number) => {
    debug(message);
    emit('error', { status, message });
  };
  // TypeErrors are the caller's mistakes (a wrong argument, props that cannot become JSON, a
  // throwing beforeSend): warned about even without `debug`. The rest goes to `error` listeners.
  const report = (err: unknown) => {
    if (err instanceof TypeError) warn('feedpulse: ' + err.message);
    tell(String(err));
  };
  // Both made at the first start(): a client that never starts (consent pending, no document)
  // opens no database.
  let outbox: Outbox | undefined;
  let delivery: Delivery | undefined;
  const recorder = createRecorder(cfg, report, (event) => delivery!._queue(event));
  // Off (no project): no consent, which status() reports as undefined.
  let consent = (project && cfg.consent) as ResolvedConfig['consent'] | undefined;
  let listening: AbortController | undefined; // while started: the page listeners
  let stops: (() => void)[] = [];
  let closed = false;

  function start() {
    // No document (server-side rendering, workers): nothing to capture or keep; the client stays inert.
    if (consent !== 'granted' || closed || listening || !globalThis.document) return;
    outbox ||= openOutbox(project, warn);
    delivery ||= createDelivery(cfg, outbox, { _emit: emit, _tell: tell, _debug: debug, _report: report });
    listening = new AbortController();
    recorder._start();
    delivery._start();
    // Leaving (tab hidden, closed, navigated): send what we can before the page goes.
    const leave = () => {
      recorder._readIds();
      delivery!._leave();
    };
    // visibilitychange is fired at the document and bubbles to the window.
    addEventListener('visibilitychange', () => {
      if (document.hidden) leave();
    }, listening);
    addEventListener('pagehide', leave, listening);
    addEventListener('online', delivery._online, listening);
    if (cfg.pageviews) {
      pageview();
      stops.push(watchRoutes(pageview));
    }
    if (cfg.autocapture === 'clicks') stops.push(startAutocapture((data) => void recorder._record('click', data)));
  }
  function pageview() {
    recorder._record('pageview', {});
  }
  function stop() {
    recorder._stop();
    delivery?._stop();
    listening?.abort();
    listening = undefined;
    stops.forEach((stopOne) => stopOne());
    stops = [];
  }

  async function flush(): Promise<FlushResult> {
    if (!delivery) return { sent: 0, pending: 0 };
    recorder._readIds(); // the events waiting for the ids go too
    return delivery._flush();
  }

  // Public methods never throw and never reject: the one guard around each of them.
  const guard = <A extends unknown[], R>(fn: (...args: A) => R, fallback?: Awaited<R>) => async (...args: A): Promise<Awaited<R>> => {
    try {
      return await fn(...args);
    } catch (err) {
      report(err);
      return fallback!;
    }
  };

  const api: FeedpulseClient = {
    track: guard((name: string, props?: Record<string, unknown>) => {
      if (!name) throw TypeError('track: no name');
      // props undefined vanishes in the event's JSON copy, as on the wire.
      return recorder._record('track', { name: String(name), props });
    }),
    feedback: guard(({ rating, scale, comment, tags }: FeedbackInput) => {
      // One copy of the four fields: checked, then recorded (neither changes it).
      const data = { rating, scale, comment, tags };
      checkFeedback(data);
      return recorder._record('feedback', data);
    }),
    identify: guard((id: string, traits?: Record<string, unknown>) => {
      if (!id) throw TypeError('identify: no userId');
      recorder._identify(String(id));
      return recorder._record('identify', { traits }); // traits undefined vanishes in the JSON copy
    }),
    open: noop,
    close: noop,
    flush: guard(flush, { sent: 0, pending: 0 }),
    shutdown: guard(async () => {
      // At once, not after the flush: a new client for the project right after shutdown() (React
      // StrictMode mounts, unmounts and mounts again in one go) is a client of its own.
      running.delete(project);
      await flush();
      stop();
      closed = true;
    }),
    on,
    setConsent: guard((value: 'granted' | 'pending') => {
      if (project && (value === 'granted' || value === 'pending')) consent = value;
      if (consent === 'granted') start();
      else stop();
    }),
    status: () => ({
      pending: (delivery?._pending() ?? 0) + recorder._waiting(),
      online: !!globalThis.navigator?.onLine,
      storage: outbox?._memory ? 'memory' : 'indexeddb',
      consent,
    }),
  };
  guard(start)();
  // Only where there is a page: a server rendering one request after another makes (inert) clients
  // of one project over and over.
  if (project && globalThis.document) running.set(project, api);
  return api;
}
