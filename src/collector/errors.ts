// Errors that map to a specific HTTP answer.

/** The sink could not durably take the events (broker down or slow, disk error): answer 503. */
export class SinkUnavailableError extends Error {
  override readonly name = 'SinkUnavailableError';
  constructor(message: string, readonly retryAfterSeconds = 2, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export const isSinkUnavailable = (err: unknown): err is SinkUnavailableError => err instanceof SinkUnavailableError;
