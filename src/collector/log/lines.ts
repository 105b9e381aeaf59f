// Reading newline-terminated records out of a segment file in chunks. Only complete lines count:
// a trailing line without its `\n` is a write in progress (or torn by a crash) and is ignored.
import type { FileHandle } from 'node:fs/promises';

const CHUNK = 256 * 1024;
const NEWLINE = 0x0a;

export interface ScanStop {
  /** Return false to stop the scan after this line. */
  (line: Buffer, start: number, end: number): boolean | void;
}

/**
 * Calls `onLine` for each complete line from byte `from` on (`start`/`end` are file positions,
 * `end` just past the `\n`). Resolves with the position just past the last complete line seen.
 */
export async function scanLines(handle: FileHandle, from: number, onLine: ScanStop): Promise<number> {
  let buffer = Buffer.allocUnsafe(CHUNK);
  let filled = 0; // bytes of buffer holding data not yet consumed
  let bufferStart = from; // file position of buffer[0]
  let readAt = from;
  for (;;) {
    if (filled === buffer.length) {
      // One line longer than the buffer: grow it.
      const bigger = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(bigger, 0, 0, filled);
      buffer = bigger;
    }
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, readAt);
    if (bytesRead === 0) return bufferStart;
    readAt += bytesRead;
    const end = filled + bytesRead;
    let lineStart = 0;
    let newline = buffer.indexOf(NEWLINE, filled);
    while (newline !== -1 && newline < end) {
      const keepGoing = onLine(buffer.subarray(lineStart, newline), bufferStart + lineStart, bufferStart + newline + 1);
      lineStart = newline + 1;
      if (keepGoing === false) return bufferStart + lineStart;
      newline = buffer.indexOf(NEWLINE, lineStart);
      if (newline >= end) newline = -1;
    }
    // Keep the incomplete tail at the front of the buffer.
    buffer.copy(buffer, 0, lineStart, end);
    filled = end - lineStart;
    bufferStart += lineStart;
  }
}
