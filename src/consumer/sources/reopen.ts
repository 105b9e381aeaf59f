// One reconnect loop for the broker sources: a dropped RabbitMQ channel and a NATS start that
// failed are both retried the same way, so they back off the same way.
import { backoffMs, type Backoff } from '../../server/backoff';
import { sleep } from '../../server/sleep';
import type { Logger } from '../../server/logger';

const SOURCE_REOPEN: Backoff = { baseMs: 500, maxMs: 30_000, jitter: 'none' };

/**
 * Calls `open` after 0.5 s, 1 s, 2 s … (capped at 30 s) until it succeeds or `stopped()` says the
 * source is closing. When the source closed while `open` ran, `closeOpened` shuts what it opened.
 */
export async function reopenWithBackoff(
  open: () => Promise<void>,
  stopped: () => boolean,
  closeOpened: () => Promise<void>,
  log: Logger,
  source: string,
): Promise<void> {
  for (let attempt = 0; !stopped(); attempt++) {
    await sleep(backoffMs(attempt, SOURCE_REOPEN));
    if (stopped()) return;
    try {
      await open();
      if (stopped()) await closeOpened();
      return;
    } catch (err) {
      log({ level: 'error', msg: 'source_reconnect_failed', source, attempt: attempt + 1, error: (err as Error).message });
    }
  }
}
