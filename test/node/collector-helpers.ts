// Re-exports for the files that still import this path (consumer-simulate.test.ts, kafka-helpers.ts);
// tests import test/helpers/ directly.
export { startCollector } from '../helpers/collector';
export { nanoid } from 'nanoid';
