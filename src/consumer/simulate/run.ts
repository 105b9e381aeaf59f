// One simulation run: generate traffic, send it to a collector, report progress.
import { simulateTraffic, type TrafficOptions } from './traffic';
import { sendEvents, type SendOptions, type SendResult } from './send';

export type SimulationOptions = TrafficOptions & SendOptions;

export async function runSimulation(options: SimulationOptions): Promise<SendResult & { events: number }> {
  const events = simulateTraffic(options);
  const result = await sendEvents(events, options);
  return { ...result, events: events.length };
}
