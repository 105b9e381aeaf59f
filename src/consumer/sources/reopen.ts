// One reconnect loop for the broker sources: a dropped RabbitMQ channel and a NATS start that
// failed are both retried the same way, so they back off the same way.

/**
 * Calls `open` after 0.5 s, 1 s, 2 s … (capped at 30 s) until it succeeds or `stopped()` says the
 * source is closing. When the source closed while `open` ran, `closeOpened` shuts what it opened.
 */
export async function reopenWithBackoff(
  open: () => Promise<void>,
  stopped: () => boolean,
  closeOpened: () => Promise<void>,
  label: string,
): Promise<void> {
  for (let attempt = 0; !stopped(); attempt++) {
    await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** attempt)));
    if (stopped()) return;
    try {
      await open();
      if (stopped()) await closeOpened();
      return;
    } catch (err) {
      console.error(`feedpulse consumer: ${label} failed: ${(err as Error).message}`);
    }
  }
}
