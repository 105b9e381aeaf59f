// Collects pushed broker messages and hands them to the consumer in batches, one batch at a time,
// so message callbacks never run the analysis concurrently.
import type { Deliver, Delivery } from './source';
import { defaultLogger, type Logger } from '../../server/logger';

export interface Batcher {
  push(delivery: Delivery): void;
  /** Resolves when everything pushed so far has been delivered. */
  drained(): Promise<void>;
}

export function createBatcher(deliver: () => Deliver, log: Logger = defaultLogger, maxBatch = 500): Batcher {
  const buffer: Delivery[] = [];
  let running: Promise<void> | undefined;

  const run = async () => {
    // Let messages arriving in the same tick join the batch.
    await new Promise((r) => setImmediate(r));
    while (buffer.length) {
      try {
        await deliver()(buffer.splice(0, maxBatch));
      } catch (err) {
        log({ level: 'error', msg: 'batch_failed', error: (err as Error).message });
      }
    }
  };

  const kick = () => {
    // A push between the loop's last check and this finally starts the next run.
    running ??= run().finally(() => { running = undefined; if (buffer.length) kick(); });
  };

  return {
    push(delivery) {
      buffer.push(delivery);
      kick();
    },
    async drained() { while (running) await running; },
  };
}
