// The dashboard's "Simulate traffic" button: one run at a time, a cooldown between runs, a cap per
// run (SIMULATE_LIMITS, about 22,000 events at most), and only ever into its own project
// (SIMULATED_PROJECT): fake incidents never land in a real project's figures and alerts, and
// alerts of simulated projects are never sent to the webhook.
// With write keys, the run posts with a key of its own that is valid for that project only, never
// one of the server's keys. A production start turns the button off (FEEDPULSE_SIMULATE=off).
import { randomBytes } from 'node:crypto';
import { SIMULATE_LIMITS, type SimulateAnswer } from '../dashboard/routes';
import type { SimulationStatus } from '../dashboard/view';
import { runSimulation } from './run';

/** Where the button's traffic goes. */
export const SIMULATED_PROJECT = 'simulated-shop';
/** Projects whose alerts are never webhooked: the button's, and any a person names so on purpose. */
export const isSimulatedProject = (project: string): boolean => project.startsWith('simulated-');

export interface SimulateControlOptions {
  /** False: the button is off (403). */
  enabled: boolean;
  /** The collector's URL (known once the server listens). */
  endpoint: () => string;
  /** The run's own write key, when the collector requires keys (see simulationKey). */
  key?: string;
  /** Minimum ms from the start of one run to the start of the next (default 60 s). */
  cooldownMs?: number;
  onChange: () => void;
}
export interface SimulateControl {
  /** Shown on the dashboard (also `available: false` when the button is off). */
  readonly status: SimulationStatus & { available: boolean; project: string };
  start(params: { visitors?: number; rate?: number }): SimulateAnswer;
  stop(): void;
}

/** A write key for the simulated project only, made at start and known to this process alone. */
export const simulationKey = (): string => `fp_sim_${randomBytes(18).toString('base64url')}`;

export function createSimulateControl(o: SimulateControlOptions): SimulateControl {
  const cooldownMs = o.cooldownMs ?? 60_000;
  const status: SimulateControl['status'] = { running: false, sent: 0, total: 0, available: o.enabled, project: SIMULATED_PROJECT };
  const abort = new AbortController();
  let lastStart = -Infinity;
  return {
    status,
    start({ visitors = 1500, rate = 400 }) {
      if (!o.enabled) return { status: 403, error: 'simulate_off', message: 'Simulated traffic is turned off on this server (FEEDPULSE_SIMULATE=off).' };
      if (status.running) return { status: 409, error: 'simulation_running', message: 'a simulation is already running' };
      const wait = lastStart + cooldownMs - Date.now();
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        return { status: 429, error: 'simulate_cooldown', message: `the next simulation can start in ${seconds} s`, retryAfterSeconds: seconds };
      }
      lastStart = Date.now();
      Object.assign(status, { running: true, sent: 0, total: 0, startedAt: new Date().toISOString(), error: undefined });
      o.onChange();
      runSimulation({
        endpoint: o.endpoint(), project: SIMULATED_PROJECT, signal: abort.signal,
        visitors: Math.min(visitors, SIMULATE_LIMITS.visitors.max), rate: Math.min(rate, SIMULATE_LIMITS.rate.max),
        ...(o.key ? { headers: { 'x-feedpulse-key': o.key } } : {}),
        onProgress: (sent, total) => { status.sent = sent; status.total = total; o.onChange(); },
      }).then((r) => { if (r.error) status.error = r.error; else if (r.failedBatches) status.error = `${r.failedBatches} batches failed (${r.failure})`; })
        .catch((err: Error) => { status.error = err.message; })
        .finally(() => { status.running = false; o.onChange(); });
      return { status: 202 };
    },
    stop: () => abort.abort(),
  };
}
