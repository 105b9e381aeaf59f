// The embedded database: PGlite (PostgreSQL compiled to WASM) in a folder, in this process. One
// connection, so its transactions run one at a time; LISTEN/NOTIFY reach listeners in this process.
// One process per folder: a second PGlite on the same files would corrupt them, so the folder is
// locked (a pid file, taken over when its process is gone) and a second process gets a clear error.
// PGlite is an optional peer dependency (a browser app that installs feedpulse does not get its
// 26 MB, nor does a server on PostgreSQL), imported on the first open.
import type { PGlite } from '@electric-sql/pglite';
import { importPeer } from '../../server/peer';
import { acquireLock } from '../../server/pid-lock';
import type { Database, Queryable } from './database';

const LOCK_FILE = 'feedpulse.lock';
export const EMBEDDED_NEEDED_BY = 'the embedded database (used when FEEDPULSE_DATABASE_URL is unset)';

// int8 (counts, sums of whole numbers) and numeric as JavaScript numbers, as openPostgres does.
// PostgreSQL's type OIDs (pg_type): int8 20, numeric 1700.
const parsers = { 20: Number, 1700: Number };

interface PgliteLike {
  query<Row>(sql: string, params?: unknown[], options?: { parsers?: typeof parsers }): Promise<{ rows: Row[] }>;
  exec(sql: string): Promise<unknown>;
}
const queryable = (target: PgliteLike): Queryable => ({
  query: async <Row>(sql: string, params: readonly unknown[] = []) => (await target.query<Row>(sql, [...params], { parsers })).rows,
  async exec(sql) { await target.exec(sql); },
});

export async function openEmbedded(dir: string): Promise<Database> {
  const release = await acquireLock(dir, {
    file: LOCK_FILE,
    subject: `the embedded database in ${dir}`,
    hint: '; one process at a time opens it: several workers or dashboards share PostgreSQL (FEEDPULSE_DATABASE_URL)',
  });
  let pg: PGlite;
  try {
    const { PGlite } = await importPeer('@electric-sql/pglite', EMBEDDED_NEEDED_BY, () => import('@electric-sql/pglite'));
    pg = await PGlite.create(dir);
  } catch (err) {
    await release();
    throw err;
  }
  return {
    kind: 'embedded',
    description: `embedded database in ${dir}`,
    ...queryable(pg),
    transaction: (work) => pg.transaction((tx) => work(queryable(tx))),
    async listen(channel, onNotify) {
      const stop = await pg.listen(channel, onNotify);
      return async () => { await stop(); };
    },
    async close() {
      if (!pg.closed) await pg.close();
      await release();
    },
  };
}
