// Errors that map to a specific HTTP answer.

/** The sink could not durably take the events (broker down or slow, disk error): answer 503. */
export class SinkUnavailableError extends Error {
  override readonly name = 'SinkUnavailableError';
  constructor(message: string, readonly retryAfterSeconds = 2, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The Kafka REST route named a topic that does not exist in Kafka (the collector creates only its own): 404. */
export class UnknownTopicError extends Error {
  override readonly name = 'UnknownTopicError';
  constructor(readonly topic: string) {
    super(`topic ${topic} does not exist in Kafka`);
  }
}

export const isSinkUnavailable = (err: unknown): err is SinkUnavailableError => err instanceof SinkUnavailableError;
