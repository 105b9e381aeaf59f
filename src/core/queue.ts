// What this page knows of the outbox (outbox.ts holds the events themselves), by state:
// - fresh: recorded on this page and read by no drain yet, of this tab or (as told on the tabs'
//   channel) of another. Only fresh events go out in a page-leave send: what a drain has read is
//   the send lock holder's to deliver (this page's, or once it closes another tab's), and sending
//   it on the way out too would put it on the wire twice.
// - read: read from the outbox by this page's last drain. Only counted (for status() and flush()),
//   not kept: the drain reads them from IndexedDB again each time.
// - in flight: in a request right now (a drain's or a page-leave send), never in a second one.
// Memory stays bounded: of the fresh events only the oldest LEAVE_BYTES are kept, which is all a
// page-leave send can carry (two requests of at most 30 KB in the browser's 64 KB keepalive
// budget). Fresh events past that wait in IndexedDB for the next drain, like every read one.
import type { FeedpulseEvent } from './types';
import { eventBytes } from './batch';

export const LEAVE_BYTES = 6e4;

// `_` names: the bundle's minifier shortens them (properties starting with `_` are mangled).
export interface QueueState {
  /** Events this page knows are not yet delivered or dropped: the outbox as last read, plus
   *  what was recorded since. */
  _pending(): number;
  _recorded(event: FeedpulseEvent): void;
  /** A drain is about to read the outbox; `_read` follows with what it found. */
  _reading(): void;
  _read(list: FeedpulseEvent[]): void;
  /** Another tab's drain has read these: no longer fresh. */
  _readElsewhere(ids: string[]): void;
  /** Delivered or dropped: gone from every state. */
  _settled(ids: string[]): void;
  _inFlight(id: string): boolean;
  _sending(ids: string[], inFlight: boolean): void;
  /** Fresh events not in flight, oldest first: what a page-leave send takes. */
  _leaving(): FeedpulseEvent[];
}

export function createQueueState(): QueueState {
  const fresh = new Map<string, FeedpulseEvent>();
  let freshBytes = 0;
  const inFlight = new Set<string>();
  let pending = 0;
  // Ids recorded while a drain reads the outbox: the read may or may not hold them.
  let recordedDuringRead: Set<string> | undefined;

  const unfresh = (id: string) => {
    const event = fresh.get(id);
    if (event && fresh.delete(id)) freshBytes -= eventBytes(event);
  };

  return {
    _pending: () => pending,
    _recorded(event) {
      pending++;
      recordedDuringRead?.add(event.id);
      const bytes = eventBytes(event);
      if (freshBytes + bytes <= LEAVE_BYTES) {
        fresh.set(event.id, event);
        freshBytes += bytes;
      }
    },
    _reading() {
      recordedDuringRead = new Set();
    },
    _read(list) {
      for (const event of list) {
        unfresh(event.id);
        recordedDuringRead?.delete(event.id); // left: recorded during the read and not in it
      }
      pending = list.length + (recordedDuringRead?.size ?? 0);
      recordedDuringRead = undefined;
    },
    _readElsewhere(ids) {
      ids.forEach(unfresh);
    },
    _settled(ids) {
      ids.forEach(unfresh);
      pending = Math.max(0, pending - ids.length);
    },
    _inFlight: (id) => inFlight.has(id),
    _sending(ids, sending) {
      for (const id of ids) {
        if (sending) inFlight.add(id);
        else inFlight.delete(id);
      }
    },
    _leaving: () => [...fresh.values()].filter((event) => !inFlight.has(event.id)),
  };
}
