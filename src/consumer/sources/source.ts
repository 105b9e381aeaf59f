// What every consumer source provides. A source hands over batches one at a time and waits for each
// to be processed; brokers get their acks only after the transaction holding the batch committed.
import type { ConsumedEvent } from '../types';

export interface Delivery {
  event: ConsumedEvent;
  /** Embedded log: the offset to resume from once this event is counted (its offset + 1). */
  position?: number;
  /** Brokers: acknowledge the message (called after the batch's transaction committed). */
  ack?: () => void;
}

export type Deliver = (batch: Delivery[]) => Promise<void>;

export interface ConsumerSource {
  readonly kind: 'embedded' | 'amqp' | 'nats' | 'kafka';
  /** Names the position in fp_positions, e.g. `embedded`, `amqp-feedpulse.dashboard`. */
  readonly id: string;
  /** Human description for logs. */
  readonly description: string;
  /** Starts delivering from `position` (embedded log offset; brokers resume by their acks). */
  start(position: number, deliver: Deliver): Promise<void>;
  /** Stops delivering; resolves after the batch in progress is processed. Acks still work. */
  stop(): Promise<void>;
  /** Closes the connection or reader (after the last batch has sent its acks). */
  close(): Promise<void>;
}

/** Parses a broker message body; a body that is not an event is dropped (and acked) with a warning. */
export function parseEventBody(body: Uint8Array | Buffer): ConsumedEvent | undefined {
  try {
    const event = JSON.parse(Buffer.from(body).toString('utf8')) as ConsumedEvent;
    if (event && typeof event.id === 'string' && typeof event.type === 'string') return event;
  } catch { /* fall through */ }
  return undefined;
}
