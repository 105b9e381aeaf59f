// Re-exports for dashboard-kafka.test.ts, which still imports this path; tests import ../helpers/core.
export { coreBuilt, openClient, startRig } from '../helpers/core';
