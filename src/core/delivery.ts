// The delivery engine: events go from the outbox (IndexedDB, shared by the origin's tabs) to the
// endpoint in batches, at least once, each under its one stable id. A drain reads the outbox, drops
// what is over the caps, and sends the rest batch by batch under the cross-tab send lock, so one tab
// sends at a time. What each answer means is outcome.ts's; when to drain again, scheduler.ts's;
// which events are fresh, read or in flight, queue.ts's. A page that is going away (tab hidden,
// closed, navigated) sends its fresh events at once with keepalive.
import type { ResolvedConfig } from './config';
import type { ClientEvents, FeedpulseEvent, FlushResult } from './types';
import type { Emit } from './emitter';
import type { Outbox } from './outbox';
import { toBatches } from './batch';
import { overCap } from './caps';
import { parseRetryAfter } from './retry';
import { makeTransport } from './transport';
import { withSendLock } from './sender-lock';
import { createQueueState, LEAVE_BYTES } from './queue';
import { createScheduler } from './scheduler';
import { outcome, SEND_ON, SPLIT_BATCH, PAUSE_SENDING } from './outcome';

// `_` names: the bundle's minifier shortens them (properties starting with `_` are mangled).
export interface Delivery {
  /** Stores the event (resolves once stored) and schedules its send. */
  _queue(event: FeedpulseEvent): Promise<void>;
  /** Drains now, also after a refusal or during a backoff; answers what it sent and what is left. */
  _flush(): Promise<FlushResult>;
  /** The page is going away: send the fresh events now (keepalive), as far as they fit. */
  _leave(): void;
  _online(): void;
  _pending(): number;
  _start(): void;
  _stop(): void;
}

const noop = () => {};

/** How the engine speaks: `sent`/`drop` events, `error` events, debug lines, the client's report.
 *  Named, not positional: `debug` and `report` have the same type, so a swap would not be a type error. */
export interface Voice {
  _emit: Emit;
  _tell(message: string, status?: number): void;
  _debug(what: unknown): void;
  _report(error: unknown): void;
}

export function createDelivery(cfg: ResolvedConfig, outbox: Outbox, { _emit: emit, _tell: tell, _debug: debug, _report: report }: Voice): Delivery {
  const lockName = 'feedpulse:' + cfg.project;
  const transport = makeTransport(cfg.endpoint, cfg.transport === 'kafka-rest' && cfg.topic);
  const queue = createQueueState();
  const scheduler = createScheduler(() => void run(), cfg.maxRetryDelay);
  // Tabs of the site tell each other which events their drain is about to send, so a closing tab
  // does not send those again on its way out.
  let channel: BroadcastChannel | undefined;
  // Lowered by a 413 answer, for the rest of the page's life.
  let batchSize = cfg.batchSize;
  let sent = 0; // delivered by this page, for flush()'s answer
  let waitingDrain: Promise<void> | undefined;
  let lastDrain: Promise<void> = Promise.resolve();

  // At most one drain runs per page and at most one waits behind it; the drains of all tabs take
  // turns under the send lock.
  function run(): Promise<void> {
    waitingDrain ||= lastDrain = lastDrain.then(() => {
      waitingDrain = undefined;
      return withSendLock(lockName, drain);
    }).catch(report);
    return waitingDrain;
  }

  // One pass over the outbox. Events recorded meanwhile have their own timer, which queues the next
  // pass behind this one.
  async function drain() {
    if (!scheduler._active()) return;
    // A drain queued before a failure waits for the backoff too (flush() clears it).
    if (scheduler._waiting()) return scheduler._schedule(0);
    queue._reading();
    const stored = await outbox._all();
    queue._read(stored);
    const overflow = overCap(stored, cfg.maxQueueEvents, cfg.maxQueueBytes);
    await settle(overflow.map((event) => event.id), 'queue full');
    const dropped = new Set(overflow);
    const toSend = stored.filter((event) => !dropped.has(event) && !queue._inFlight(event.id));
    if (!navigator.onLine) return;
    if (toSend.length) channel?.postMessage(toSend.map((event) => event.id));
    for (const batch of toBatches(toSend, batchSize, cfg.batchBytes)) {
      if (!(await deliver(batch))) return;
    }
  }

  /** The events are done with: delivered (no reason: `sent`) or dropped (`drop` with the reason). */
  async function settle(ids: string[], reason?: string) {
    if (!ids.length) return;
    queue._settled(ids);
    if (!reason) sent += ids.length;
    await outbox._del(ids);
    emit(reason ? 'drop' : 'sent', { count: ids.length, reason, ids } as ClientEvents['drop']);
  }

  /** Sends one batch and does what the answer says. False: stop sending for now. */
  async function deliver(batch: FeedpulseEvent[], leaving = false): Promise<boolean> {
    const ids = batch.map((event) => event.id);
    queue._sending(ids, true);
    try {
      const response = await post(batch, leaving);
      const status = response?.status ?? 0; // 0: no answer
      // The collector's answer; on a refusal {error, message}, `message` saying what to change.
      const answer: { message?: string } | undefined = await response?.json().catch(noop);
      const result = outcome(status, answer, batch, transport._fates);
      await settle(result._delivered);
      await settle(result._dropped, result._reason);
      if (result._next === SEND_ON) {
        scheduler._succeeded();
        return true;
      }
      if (result._next === SPLIT_BATCH) {
        // The halves stay in flight meanwhile; each half's own finally (and ours) clears them.
        const half = (batchSize = Math.ceil(ids.length / 2));
        return (await deliver(batch.slice(0, half), leaving)) && deliver(batch.slice(half), leaving);
      }
      if (result._next === PAUSE_SENDING) {
        // Refused (a missing or wrong write key, an origin the collector does not allow): resending
        // cannot help until the site's setup changes. The events stay in IndexedDB; this page sends
        // again on flush(), a later page load sends them with everything else.
        scheduler._pause(true);
        tell(`HTTP ${status}: ${answer?.message || 'refused'}; paused`, status);
        return false;
      }
      // Retry later: 408/425/429/5xx, no answer, or records a 2xx answer listed as failed.
      debug(`HTTP ${status}: retry in ${scheduler._failed(parseRetryAfter(response?.headers.get('retry-after')))} ms`);
      scheduler._schedule(0);
      return false;
    } finally {
      queue._sending(ids, false);
    }
  }

  /** One request for the batch: its response, or undefined when there is none (fetch rejected). */
  async function post(batch: FeedpulseEvent[], leaving: boolean): Promise<Response | undefined> {
    const body = transport._body(batch, new Date().toISOString());
    try {
      return await fetch(transport._url, {
        method: 'POST', body,
        // keepalive lets a request in flight finish when the page closes (limit: 64 KB in flight).
        keepalive: leaving || body.length < LEAVE_BYTES,
        // Leaving: no custom headers and, for json, text/plain (CORS-simple: no preflight, which a
        // closing page cannot wait for).
        headers: { 'content-type': leaving ? transport._leave : transport._type, ...(!leaving && cfg.headers) },
        // A request that never ends would hold the send lock of every tab: give up after 30 s.
        signal: AbortSignal.timeout(3e4),
      });
    } catch (err) {
      // The keepalive fetch could not go out: hand the body to a beacon (outcome unknown, so the
      // events stay queued and are retried as after a network failure).
      if (leaving) navigator.sendBeacon?.(transport._url, new Blob([body], { type: transport._leave }));
      // fetch rejects alike (TypeError) for a refused CORS preflight, an answer without CORS
      // headers and a network failure: script cannot tell them apart (the browser console can).
      // Offline (navigator.onLine false) is the quiet case, and the `online` event resends.
      // Online, it is a refusal (CORS, or a proxy's error page without CORS headers), an
      // unreachable collector or the 30 s timeout: said in `error`, and the events stay queued
      // and are retried with backoff like any network failure.
      else if (navigator.onLine) tell(`${err} from ${transport._url} (CORS refusal, no connection or timeout); retrying`, 0);
    }
  }

  return {
    _queue(event) {
      queue._recorded(event);
      scheduler._schedule(queue._pending() >= cfg.batchSize && navigator.onLine ? 0 : cfg.flushInterval);
      return outbox._add(event);
    },
    async _flush() {
      const before = sent;
      scheduler._pause(false); // an explicit flush tries again after 401/403
      scheduler._retryNow();
      await run();
      return { sent: sent - before, pending: queue._pending() };
    },
    _leave() {
      // Paused, offline or told to wait (Retry-After, backoff): the events wait in IndexedDB instead.
      if (!scheduler._active() || !navigator.onLine || scheduler._waiting()) return;
      // Within the 64 KB keepalive budget: two requests of at most half of it. The rest stays in
      // IndexedDB for the send lock's next holder: another tab, or this site's next visit.
      for (const batch of toBatches(queue._leaving(), Infinity, LEAVE_BYTES / 2).slice(0, 2)) deliver(batch, true).catch(report);
    },
    _online() {
      scheduler._retryNow();
      scheduler._schedule(0);
    },
    _pending: queue._pending,
    _start() {
      scheduler._start();
      if (self.BroadcastChannel) {
        channel = new BroadcastChannel(lockName);
        // A message that is not a list (another script on the same channel name) is ignored.
        channel.onmessage = ({ data }) => {
          if (Array.isArray(data)) queue._readElsewhere(data);
        };
      }
      scheduler._schedule(0); // what earlier visits left behind
    },
    _stop() {
      channel?.close();
      scheduler._stop();
    },
  };
}
