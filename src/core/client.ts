// createClient (docs/sdk.md): builds events, stores them in the outbox, and delivers them in
// batches under the cross-tab send lock. Nothing here throws into the host page: every public
// method is guarded, and failures go to the `error` event (and the console when `debug`).
import type { ClientConfig, EventDataByType, EventType, FeedbackInput, FeedpulseClient, FeedpulseEvent } from './types';
import { resolveConfig, type ResolvedConfig } from './config';
import { scrubDeep } from './scrub';
import { startAutocapture } from './autocapture';
import { watchRoutes } from './routes';
import { pageContext } from './page';
import { nanoid } from 'nanoid';
import { anonymousId, sessionId, userIdOf } from './identity';
import { inSample } from './sampling';
import { createEmitter } from './emitter';
import { openOutbox, type Outbox } from './outbox';
import { toBatches } from './batch';
import { overCap } from './caps';
import { backoff, parseRetryAfter } from './retry';
import { verdict, OK, DROP, SPLIT, PAUSE } from './status';
import { makeTransport, DELIVERED, REFUSED, AGAIN } from './transport';
import { withSendLock } from './sender-lock';
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
  const debug = (what: unknown) => { if (cfg.debug) console.debug('feedpulse:', what); };
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
  const transport = makeTransport(cfg.endpoint, cfg.transport == 'kafka-rest' && cfg.topic);
  // Events this page knows are not yet confirmed (its own, and the outbox as last read): what
  // status() counts.
  const known = new Map<string, FeedpulseEvent>();
  // Events in a request right now (a normal send or a page-leave send): never sent twice at once.
  const inflight = new Set<string>();
  // Events this page recorded that no drain of this page has read yet: the only ones a page-leave
  // send takes. What a drain has read is the send lock holder's to deliver (this page's, or after
  // it closes another tab's); sending it on the way out too would put it on the wire twice.
  const fresh = new Set<string>();
  let outbox: Outbox | undefined;
  // Off (no project): no consent, which status() reports as undefined.
  let consent = (project && cfg.consent) as ResolvedConfig['consent'] | undefined;
  let anonId: string, sid: string, sidAt = 0;
  let userId = ''; // '' until identify(), on this load or an earlier one
  let listening: AbortController | undefined;
  // Tabs of the site tell each other which events their drain is about to send, so a closing tab
  // does not send those again on its way out (see leave()).
  let channel: BroadcastChannel | undefined;
  let stops: (() => void)[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let due = 0, retryAt = 0, attempt = 0, sent = 0;
  let paused = false, closed = false;
  let maxCount = cfg.batchSize;
  let queued: Promise<void> | undefined;
  let chain: Promise<void> = Promise.resolve();

  function start() {
    // No document (server-side rendering, workers): nothing to capture or keep; the client stays inert.
    if (consent != 'granted' || closed || listening || !globalThis.document) return;
    outbox ||= openOutbox(project, warn);
    anonId = anonymousId(project);
    // The stored user id, or the one identify() was given while consent was pending (stored now).
    userId = userIdOf(project, userId);
    listening = new AbortController();
    if (self.BroadcastChannel) {
      channel = new BroadcastChannel('feedpulse:' + project);
      // forEach?.: a message that is not a list (another script on the same channel name) is ignored.
      channel.onmessage = (m) => m.data?.forEach?.((id: string) => fresh.delete(id));
    }
    // Leaving (tab hidden, closed, navigated): send what we can before the page goes.
    // visibilitychange is fired at the document and bubbles to the window.
    addEventListener('visibilitychange', () => { if (document.hidden) leave(); }, listening);
    addEventListener('pagehide', leave, listening);
    addEventListener('online', () => { retryAt = 0; schedule(0); }, listening);
    if (cfg.pageviews) {
      pageview();
      stops.push(watchRoutes(pageview));
    }
    if (cfg.autocapture == 'clicks') stops.push(startAutocapture((data) => { record('click', data); }));
    schedule(0); // what earlier visits left behind
  }
  function pageview() { record('pageview', {}); }
  function stop() {
    channel?.close();
    listening?.abort();
    listening = undefined;
    stops.forEach((f) => f());
    stops = [];
    clearTimeout(timer);
    due = 0;
  }

  // The hot path (track, feedback): build the event and hand it to the batched writer.
  async function record<T extends EventType>(type: T, data: EventDataByType[T]): Promise<void> {
    if (!listening) return; // consent pending, shut down, or disabled
    // Web storage costs microseconds per call: refresh the session (idle timeout) once a second.
    const now = Date.now();
    if (now - sidAt > 1000) (sid = sessionId(project)), (sidAt = now);
    if (type != 'feedback' && !inSample(sid, cfg.sampleRate)) return;
    if (cfg.scrubPII && type != 'identify') data = scrubDeep(data);
    let event = {
      id: nanoid(), type, ts: new Date().toISOString(), project, anonymousId: anonId, sessionId: sid,
      userId: userId || undefined, page: pageContext(), data,
    } as FeedpulseEvent;
    if (cfg.beforeSend) {
      try {
        const edited = cfg.beforeSend(event);
        if (edited === null) return;
        // undefined: the hook edited the event in place and returned nothing. Anything else but an
        // event (a number; a Promise from an async hook) keeps the event as it was: stored as is, it
        // had no id to be stored under.
        if (edited && !edited.id) throw TypeError('beforeSend returned no event; kept it as it was');
        if (edited) event = edited;
      } catch (err) {
        report(err); // a broken hook must not lose the event
      }
    }
    // A plain JSON copy: what cannot be sent (cycles, BigInt) throws here, into the `error` event,
    // instead of stalling the queue later; functions and undefined values vanish as on the wire.
    event = JSON.parse(JSON.stringify(event));
    known.set(event.id, event);
    fresh.add(event.id);
    schedule(known.size >= cfg.batchSize && navigator.onLine ? 0 : cfg.flushInterval);
    return outbox!._add(event);
  }

  function schedule(ms: number) {
    if (!listening || paused) return;
    const at = Math.max(Date.now() + ms, retryAt);
    // A timer set before a failed send may be due before the backoff ends: move it.
    if (due && due <= at && due >= retryAt) return;
    clearTimeout(timer);
    due = at;
    timer = setTimeout(() => { due = 0; run(); }, at - Date.now());
  }

  // At most one drain runs per page and at most one waits behind it; drains of all tabs take
  // turns under the send lock.
  function run(): Promise<void> {
    return queued || (queued = chain = chain.then(() => {
      queued = undefined;
      return withSendLock('feedpulse:' + project, drain);
    }).catch(report));
  }

  // One pass over the outbox. Events recorded meanwhile have their own timer (record() schedules
  // one), which queues the next pass behind this one.
  async function drain() {
    if (paused || consent != 'granted') return;
    // A drain queued before a failure waits for the backoff too (flush() clears it).
    if (Date.now() < retryAt) return schedule(0);
    const before = [...known.keys()];
    let list = await outbox!._all();
    // What this page knew before the read is now what is stored (another tab may have
    // delivered some); events recorded during the read stay known.
    for (const id of before) known.delete(id);
    for (const e of list) known.set(e.id, e), fresh.delete(e.id);
    const drop = overCap(list, cfg.maxQueueEvents, cfg.maxQueueBytes);
    await settle(drop.map((e) => e.id), 'queue full');
    list = list.filter((e) => !drop.includes(e) && !inflight.has(e.id));
    if (navigator.onLine) {
      channel?.postMessage(list.map((e) => e.id));
      for (const batch of toBatches(list, maxCount, cfg.batchBytes)) if (!(await deliver(batch))) return;
    }
  }

  /** The events are done with: delivered (no reason: `sent`) or dropped (`drop` with the reason). */
  async function settle(ids: string[], reason?: string) {
    for (const id of ids) known.delete(id), fresh.delete(id);
    if (!reason) sent += ids.length;
    await outbox!._del(ids);
    if (ids[0]) emit(reason ? 'drop' : 'sent', { count: ids.length, reason: reason!, ids });
  }

  /** Sends one batch and acts on the answer (docs/contract.md, "Answers"). False: stop sending
   *  for now. */
  async function deliver(batch: FeedpulseEvent[], leaving?: boolean): Promise<boolean> {
    const ids = batch.map((e) => e.id);
    ids.forEach((id) => inflight.add(id));
    try {
      let status = 0, wait: number | undefined, answer: { message?: string } | undefined;
      const body = transport._body(batch, new Date().toISOString());
      try {
        const res = await fetch(transport._url, {
          method: 'POST', body,
          // keepalive lets a request in flight finish when the page closes (limit: 64 KB in flight).
          keepalive: leaving || body.length < 6e4,
          // Leaving: no custom headers and, for json, text/plain (CORS-simple: no preflight, which a
          // closing page cannot wait for).
          headers: { 'content-type': leaving ? transport._leave : transport._type, ...(!leaving && cfg.headers) },
          // A request that never ends would hold the send lock of every tab: give up after 30 s.
          signal: AbortSignal.timeout(3e4),
        });
        status = res.status;
        wait = parseRetryAfter(res.headers.get('retry-after'));
        // The collector's answer; on a refusal {error, message}, `message` saying what to change.
        answer = await res.json().catch(noop);
      } catch (err) {
        // The keepalive fetch could not go out: hand the body to a beacon (outcome unknown, so
        // the events stay queued and are retried as after a network failure).
        if (leaving) navigator.sendBeacon?.(transport._url, new Blob([body], { type: transport._leave }));
        // fetch rejects alike (TypeError) for a refused CORS preflight, an answer without CORS
        // headers and a network failure: script cannot tell them apart (the browser console can).
        // Offline (navigator.onLine false) is the quiet case, and the `online` event resends.
        // Online, it is a refusal (CORS, or a proxy's error page without CORS headers), an
        // unreachable collector or the 30 s timeout: said in `error`, and the events stay queued
        // and are retried with backoff like any network failure.
        else if (navigator.onLine) tell(`${err} from ${transport._url} (CORS refusal, no connection or timeout); retrying`, 0);
      }
      const action = verdict(status);
      if (action == OK) {
        const fates = transport._fates(answer, batch), fated = (f: number) => ids.filter((_, i) => fates[i] == f);
        await settle(fated(DELIVERED));
        await settle(fated(REFUSED), 'rejected');
        if (!fates.includes(AGAIN)) return !(attempt = 0);
      } else if (action == DROP || (action == SPLIT && !ids[1])) {
        await settle(ids, 'HTTP ' + status);
        return true;
      } else if (action == SPLIT) {
        // The halves stay in flight meanwhile; each half's own finally (and ours) clears them.
        const half = (maxCount = Math.ceil(ids.length / 2));
        return (await deliver(batch.slice(0, half), leaving)) && deliver(batch.slice(half), leaving);
      } else if (action == PAUSE) {
        // Refused (a missing or wrong write key, an origin the collector does not allow): resending
        // cannot help until the site's setup changes. The events stay in IndexedDB; this page sends
        // again on flush(), a later page load sends them with everything else.
        paused = true;
        tell(`HTTP ${status}: ${answer?.message || 'refused'}; paused`, status);
        return false;
      }
      // Retry later: 408/425/429/5xx, network failure, or records a 2xx answer listed as failed.
      retryAt = Date.now() + (wait ?? backoff(attempt++, cfg.maxRetryDelay));
      debug(`HTTP ${status}: retry in ${retryAt - Date.now()} ms`);
      schedule(0);
      return false;
    } finally {
      ids.forEach((id) => inflight.delete(id));
    }
  }

  // Hidden or unloading: send this page's events that no drain has taken up yet, within the 64 KB
  // keepalive budget (two chunks under 30 KB). The rest stays in IndexedDB for the send lock's
  // next holder: another tab, or this site's next visit.
  function leave() {
    // Paused, offline or told to wait (Retry-After, backoff): the events wait in IndexedDB instead.
    if (paused || !navigator.onLine || Date.now() < retryAt) return;
    const list = [...known.values()].filter((e) => fresh.has(e.id) && !inflight.has(e.id));
    toBatches(list, 1e9, 3e4).slice(0, 2).forEach((batch) => { deliver(batch, true).catch(report); });
  }

  async function flush() {
    if (!outbox) return { sent: 0, pending: 0 };
    const before = sent;
    paused = false; // an explicit flush tries again after 401/403
    retryAt = 0;
    await run();
    return { sent: sent - before, pending: known.size };
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
      return record('track', { name: String(name), props });
    }),
    feedback: guard(({ rating, scale, comment, tags }: FeedbackInput) => {
      checkFeedback({ rating, scale, comment, tags });
      return record('feedback', { rating, scale, comment, tags });
    }),
    identify: guard((id: string, traits?: Record<string, unknown>) => {
      if (!id) throw TypeError('identify: no userId');
      userId = String(id);
      // Kept for later page loads, unless consent is pending (nothing is stored then).
      if (listening) userIdOf(project, userId);
      return record('identify', { traits }); // traits undefined vanishes in the JSON copy
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
      if (project && /^(granted|pending)$/.test(value)) consent = value;
      if (consent == 'granted') start();
      else stop();
    }),
    status: () => ({ pending: known.size, online: !!globalThis.navigator?.onLine, storage: outbox?._memory ? 'memory' : 'indexeddb', consent }),
  };
  guard(start)();
  // Only where there is a page: a server rendering one request after another makes (inert) clients
  // of one project over and over.
  if (project && globalThis.document) running.set(project, api);
  return api;
}
