// Making events (docs/contract.md, "Events"): the visitor's ids, session sampling, the PII scrubber
// and beforeSend, then a plain JSON copy handed to delivery.
//
// The ids live in web storage, and its first access blocks the page's main thread while the browser
// loads the origin's storage: it is kept off page load. After start() the ids are read when the
// browser is idle (at most 1 s later), or at once when something needs them first (a page-leave
// send, flush(), identify(), consent withdrawn). An event made before then is drafted at the call
// (its time, page and a copy of its data are those of the moment it was made) and finished, in the
// order made, as soon as the ids are read: it is kept, and sent with the right ids.
import type { ResolvedConfig } from './config';
import type { EventDataByType, EventType, FeedpulseEvent, PageContext } from './types';
import { nanoid } from 'nanoid';
import { anonymousId as readAnonymousId, sessionId as readSessionId, userIdOf } from './identity';
import { inSample } from './sampling';
import { scrubDeep } from './scrub';
import { pageContext } from './page';

// `_` names: the bundle's minifier shortens them (properties starting with `_` are mangled).
export interface Recorder {
  /** Makes the event and hands it on; resolves once it is stored (or sampled out, or dropped by
   *  beforeSend). */
  _record<T extends EventType>(type: T, data: EventDataByType[T]): Promise<void>;
  /** The user id of the events made from now on. */
  _identify(userId: string): void;
  /** Reads the ids now if they are not yet, and finishes the events waiting for them. */
  _readIds(): void;
  /** Events made and not yet finished (waiting for the ids). */
  _waiting(): number;
  _start(): void;
  _stop(): void;
}

// Safari has no requestIdleCallback: a short timeout there.
const whenIdle = (task: () => void) => ('requestIdleCallback' in self ? requestIdleCallback(task, { timeout: 1000 }) : setTimeout(task, 50));

export function createRecorder(cfg: ResolvedConfig, report: (error: unknown) => void, handOn: (event: FeedpulseEvent) => Promise<void>): Recorder {
  const { project } = cfg;
  let started = false;
  let anonymousId = '';
  let userId = ''; // '' until identify(), on this load or an earlier one
  let sessionId = '';
  let sessionCheckedAt = 0;
  // The finishing steps of the events made since start() while the ids are not read; undefined
  // once they are.
  let waiting: (() => void)[] | undefined;

  function readIds() {
    if (!started || !waiting) return;
    anonymousId = readAnonymousId(project);
    // The stored user id, or the one identify() was given while consent was pending (stored now).
    userId = userIdOf(project, userId);
    const finishers = waiting;
    waiting = undefined;
    for (const finishNow of finishers) finishNow();
  }

  // async: what throws (JSON of a cycle or BigInt) rejects the caller's promise instead of
  // stopping the other waiting events from being finished. It runs to its end at once all the same
  // (it awaits nothing).
  async function finish(type: EventType, data: EventDataByType[EventType], ts: string, page: PageContext): Promise<void> {
    // Web storage costs microseconds per call: refresh the session (idle timeout) once a second.
    const now = Date.now();
    if (now - sessionCheckedAt > 1000) {
      sessionId = readSessionId(project);
      sessionCheckedAt = now;
    }
    if (type !== 'feedback' && !inSample(sessionId, cfg.sampleRate)) return;
    let event = {
      id: nanoid(), type, ts, project, anonymousId, sessionId, userId: userId || undefined, page, data,
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
    return handOn(JSON.parse(JSON.stringify(event)));
  }

  return {
    async _record(type, data) {
      if (!started) return; // consent pending, shut down, or disabled
      // Scrubbed at the call (identify's traits are not): scrubDeep makes a copy, without cycles.
      const scrub = cfg.scrubPII && type !== 'identify';
      const ts = new Date().toISOString(), page = pageContext();
      let kept = scrub ? scrubDeep(data) : data;
      if (!waiting) return finish(type, kept, ts, page);
      // The caller may change its objects before the ids are read: keep a copy of the data as it is
      // now (scrubDeep's is one already).
      if (!scrub) kept = JSON.parse(JSON.stringify(data));
      return new Promise((resolve) => waiting!.push(() => resolve(finish(type, kept, ts, page))));
    },
    _identify(id) {
      readIds(); // the events made before this call keep the user id they were made with
      userId = id;
      // Kept for later page loads, unless consent is pending (nothing is stored then).
      if (started) userIdOf(project, userId);
    },
    _readIds: readIds,
    _waiting: () => waiting?.length ?? 0,
    _start() {
      started = true;
      waiting = [];
      whenIdle(readIds);
    },
    _stop() {
      // Events made before consent was withdrawn (or shutdown) are kept, as if the ids had been read.
      if (waiting?.length) readIds();
      started = false;
    },
  };
}
