// Export of a filtered view as CSV or NDJSON, streamed: rows are read in keyset batches and each
// batch is written as it comes, waiting for 'drain' when the client reads slower than the database,
// so memory holds one batch whatever the number of rows.
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Queryable } from '../db/database';
import { csvHeader, csvLine } from './csv';
import type { ResponsesFilter } from './filters';
import { listResponses, type ResponseRow } from './query';

export type ExportFormat = 'csv' | 'ndjson';
export const EXPORT_BATCH = 1000;

export const EXPORT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/** The matching rows in batches, newest first; the export ignores `limit` (all rows match). */
export async function* responseBatches(db: Queryable, filter: ResponsesFilter, batch = EXPORT_BATCH): AsyncGenerator<ResponseRow[]> {
  let cursor = filter.cursor;
  for (;;) {
    const page = await listResponses(db, filter, cursor, batch);
    if (page.responses.length) yield page.responses;
    if (!page.next || !page.last) return;
    cursor = page.last;
  }
}

const formatLine = (format: ExportFormat) => (format === 'csv' ? csvLine : (row: ResponseRow) => `${JSON.stringify(row)}\n`);

/** `feedpulse-responses-2026-12-03T101500Z.csv` */
export const exportFileName = (format: ExportFormat, now = new Date()): string =>
  `feedpulse-responses-${now.toISOString().slice(0, 19).replace(/:/g, '')}Z.${format}`;

/**
 * Writes the export to `res` (headers already sent by the caller). Resolves with the number of rows
 * once the last is written, or early when the client went away. A database error after the first
 * bytes cannot become a status any more: the response is destroyed so the client sees it cut short.
 */
export async function writeExport(res: ServerResponse, db: Queryable, filter: ResponsesFilter, format: ExportFormat, batch = EXPORT_BATCH): Promise<number> {
  const line = formatLine(format);
  let rows = 0;
  let closed = false;
  res.once('close', () => { closed = true; });
  const write = async (chunk: string) => {
    if (res.write(chunk) || closed) return;
    // Until the client took what is buffered, or went away; both listeners go either way.
    const gone = new AbortController();
    await Promise.race([once(res, 'drain', { signal: gone.signal }), once(res, 'close', { signal: gone.signal })]).catch(() => undefined);
    gone.abort();
  };
  try {
    if (format === 'csv') await write(csvHeader());
    for await (const rowsOfBatch of responseBatches(db, filter, batch)) {
      if (closed) break;
      let chunk = '';
      for (const row of rowsOfBatch) chunk += line(row);
      rows += rowsOfBatch.length;
      await write(chunk);
      // The embedded database answers without a turn of the event loop in between, so without this
      // the loop would run batch after batch until the socket buffers are full: nothing reaches the
      // client before that (the first byte after ~40 batches) and no other request is served meanwhile.
      await nextTurn();
    }
    if (!closed) res.end();
  } catch (err) {
    res.destroy(err as Error);
  }
  return rows;
}
