// Naming and listing of log segments. A segment file is named by the offset of its first record
// (20 digits, so names sort like numbers): `<data>/log/00000000000000000000.jsonl`. Offsets are
// record numbers, stable forever: retention deletes whole old segments and never renumbers.
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const SEGMENT_SUFFIX = '.jsonl';
const SEGMENT_NAME = /^(\d{20})\.jsonl$/;

export interface SegmentRef {
  baseOffset: number;
  path: string;
}

/** Where the log of a data directory (FEEDPULSE_DATA) lives. */
export const logDirOf = (dataDir: string): string => resolve(dataDir, 'log');

export const segmentPath = (logDir: string, baseOffset: number): string =>
  join(logDir, `${String(baseOffset).padStart(20, '0')}${SEGMENT_SUFFIX}`);

/** Segments oldest first; an absent directory has none. */
export async function listSegments(logDir: string): Promise<SegmentRef[]> {
  let names: string[];
  try {
    names = await readdir(logDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const segments: SegmentRef[] = [];
  for (const name of names) {
    const match = SEGMENT_NAME.exec(name);
    if (match) segments.push({ baseOffset: Number(match[1]), path: join(logDir, name) });
  }
  return segments.sort((a, b) => a.baseOffset - b.baseOffset);
}
