// Headless SDK entry (`feedpulse/core`): queue, batching, transports, autocapture. No widget code.
export type * from './types';
export { createClient } from './client';
