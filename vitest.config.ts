import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Browser and broker tests start real processes; two workers match this 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
    // expect.poll waits up to 1 s by default; on a loaded 2-core CI machine a dialog or a delivery can
    // take longer. Polls still pass as soon as the condition holds; only the give-up time is longer.
    expect: { poll: { timeout: 10_000 } },
  },
});
