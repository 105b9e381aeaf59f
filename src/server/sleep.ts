// Waiting in retry loops. An abort ends the wait early instead of throwing: the loop then sees the
// signal and stops on its own terms (a shutdown is not an error).
import { setTimeout as delay } from 'node:timers/promises';

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).catch(() => undefined);
