// What one answer to a batch means for its events and for the sends after it (docs/contract.md,
// "Answers"). Pure: the delivery engine (delivery.ts) does what it says.
import type { FeedpulseEvent } from './types';
import { verdict, OK, RETRY, SPLIT, PAUSE, DROP } from './status';
import { DELIVERED, REFUSED, AGAIN, type Transport } from './transport';

/** What to do after the answer. */
export const SEND_ON = OK, RETRY_LATER = RETRY, SPLIT_BATCH = SPLIT, PAUSE_SENDING = PAUSE;
export type Next = typeof SEND_ON | typeof RETRY_LATER | typeof SPLIT_BATCH | typeof PAUSE_SENDING;

// `_` names: the bundle's minifier shortens them (properties starting with `_` are mangled).
export interface Outcome {
  /** Ids the collector (or Kafka) took: they leave the outbox and count as sent. */
  _delivered: string[];
  /** Ids dropped for good: they leave the outbox with a `drop` event giving `reason`. */
  _dropped: string[];
  _reason: string;
  _next: Next;
}

/**
 * The outcome of sending `batch` and getting `status` (0: no answer, fetch rejected) with the body
 * `answer`. `readAnswer` is the transport's reading of a 2xx body, event by event (the collector's
 * `rejected` list, or Kafka REST Proxy `offsets`). Events neither delivered nor dropped stay in the
 * outbox for a later send.
 */
export function outcome(status: number, answer: unknown, batch: FeedpulseEvent[], readAnswer: Transport['_fates']): Outcome {
  const ids = batch.map((event) => event.id);
  const action = verdict(status);
  if (action === OK) {
    const fates = readAnswer(answer, batch);
    const withFate = (fate: number) => ids.filter((_, i) => fates[i] === fate);
    return { _delivered: withFate(DELIVERED), _dropped: withFate(REFUSED), _reason: 'rejected', _next: fates.includes(AGAIN) ? RETRY_LATER : SEND_ON };
  }
  // 413 for a single event: it can never fit, so it goes like a 400.
  if (action === DROP || (action === SPLIT && ids.length === 1)) return { _delivered: [], _dropped: ids, _reason: 'HTTP ' + status, _next: SEND_ON };
  // RETRY, SPLIT and PAUSE are the numbers of RETRY_LATER, SPLIT_BATCH and PAUSE_SENDING.
  return { _delivered: [], _dropped: [], _reason: '', _next: action };
}
