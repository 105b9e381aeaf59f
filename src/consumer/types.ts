// Types the consumer side shares between its modules. The event shape comes from core (wire format)
// plus what the collector adds when it stores an event (docs/collector.md, "Stored events"; src/collector/types.ts).
import type { FeedpulseEvent } from '../core/types';

/** An event as the collector stores and publishes it. receivedAt is optional so a bare wire event still counts. */
export type ConsumedEvent = FeedpulseEvent & { receivedAt?: string; ua?: string; country?: string };

export type FeedbackEvent = Extract<ConsumedEvent, { type: 'feedback' }>;
export type ClickEvent = Extract<ConsumedEvent, { type: 'click' }>;
