// The consumer checkpoint: analysis state, rule state, recently seen ids and the stream position,
// written together atomically (temp file, fsync, rename), so what is saved always belongs together.
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AlertRuleStates } from './alerts/states';
import type { AnalysisState } from './analysis/state';
import { parseStateJson } from './records';

export interface Checkpoint {
  version: 1;
  /** Which source wrote it, e.g. `embedded`, `amqp:feedpulse.dashboard`. */
  source: string;
  /** Embedded log: the offset of the next record to read. Brokers: 0 (they keep their own position). */
  position: number;
  /** Events counted so far. */
  processed: number;
  analysis: AnalysisState;
  /** The same per project (absent in checkpoints written before the project filter). */
  projects?: [string, AnalysisState][];
  ruleStates: AlertRuleStates;
  seenIds: string[];
  savedAt: string;
}

export async function loadCheckpoint(file: string): Promise<Checkpoint | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  // Null-prototype objects again: the state is keyed by visitor text (see records.ts).
  const cp = parseStateJson(text) as Checkpoint;
  if (cp.version !== 1 || typeof cp.position !== 'number' || !cp.analysis) throw new Error(`consumer checkpoint ${file} has an unknown format`);
  return cp;
}

/** Writes `json` to `file` so that a crash leaves either the old or the new checkpoint, never half. */
export async function writeAtomically(file: string, json: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(json);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  // Persist the rename itself.
  const dir = await open(dirname(file), 'r');
  try { await dir.sync(); } catch { /* some file systems cannot fsync a directory */ } finally { await dir.close(); }
}
