// The embedded database: PGlite (PostgreSQL compiled to WASM) in a folder, in this process. One
// connection, so its transactions run one at a time; LISTEN/NOTIFY reach listeners in this process.
import { PGlite, types } from '@electric-sql/pglite';
import type { Database, Queryable } from './database';

// int8 (counts, sums of whole numbers) and numeric as JavaScript numbers, as openPostgres does.
const parsers = { [types.INT8]: Number, [types.NUMERIC]: Number };

interface PgliteLike {
  query<Row>(sql: string, params?: unknown[], options?: { parsers?: typeof parsers }): Promise<{ rows: Row[] }>;
  exec(sql: string): Promise<unknown>;
}
const queryable = (target: PgliteLike): Queryable => ({
  query: async <Row>(sql: string, params: readonly unknown[] = []) => (await target.query<Row>(sql, [...params], { parsers })).rows,
  async exec(sql) { await target.exec(sql); },
});

export async function openEmbedded(dir: string): Promise<Database> {
  const pg = await PGlite.create(dir);
  return {
    kind: 'embedded',
    description: `embedded database in ${dir}`,
    ...queryable(pg),
    transaction: (work) => pg.transaction((tx) => work(queryable(tx))),
    async listen(channel, onNotify) {
      const stop = await pg.listen(channel, onNotify);
      return async () => { await stop(); };
    },
    async close() { if (!pg.closed) await pg.close(); },
  };
}
