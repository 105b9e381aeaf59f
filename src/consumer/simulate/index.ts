// The traffic simulator, built as dist/simulate.js for `npm run simulate` and the benchmarks: a
// tool of this repository, not part of the `feedpulse/consumer` API.
export { simulateTraffic, type TrafficOptions } from './traffic';
export { sendEvents, type SendOptions, type SendResult } from './send';
export { runSimulation, type SimulationOptions } from './run';
