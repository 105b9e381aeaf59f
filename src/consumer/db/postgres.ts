// PostgreSQL through node-postgres (`pg`, an optional peer dependency): a pool for queries and
// transactions, and one dedicated connection per LISTEN.
import type { Database, Queryable } from './database';
import { importPeer } from '../../server/peer';
import { MIGRATION_LOCK } from './schema';

export const DATABASE_NEEDED_BY = 'FEEDPULSE_DATABASE_URL=postgres://…';
/** application_name of the LISTEN connections (pg_stat_activity shows who listens, and for which schema). */
export const listenApplication = (schema?: string): string => `feedpulse-listen${schema ? ` ${schema}` : ''}`.slice(0, 63);
/** Wait before opening a dropped LISTEN connection again. */
export const LISTEN_RETRY_MS = 500;

/** The URL without its password, for logs. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an unparsable URL';
  }
}

/** A schema name that needs no quoting, so it can be put in a search_path safely. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openPostgres(url: string, schema?: string): Promise<Database> {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`FEEDPULSE_DATABASE_URL must start with postgres:// or postgresql://, got ${describePostgresUrl(url)}`);
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`database schema "${schema}": use lower-case letters, digits and _ (at most 63)`);
  const pg = (await importPeer('pg', DATABASE_NEEDED_BY, () => import('pg'))).default;
  // int8 (counts, sums of whole numbers) and numeric as JavaScript numbers, as PGlite gives them.
  const types = {
    getTypeParser: (oid: number, format?: string) =>
      (oid === 20 || oid === 1700 ? Number : pg.types.getTypeParser(oid, format as 'text')),
  };
  const config = { connectionString: url, types, ...(schema ? { options: `-c search_path=${schema}` } : {}) };
  if (schema) {
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    // Under the migration lock: two workers creating the schema at once would otherwise collide
    // (CREATE SCHEMA IF NOT EXISTS is not safe against a concurrent create).
    try {
      await setup.query('BEGIN');
      await setup.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await setup.query('COMMIT');
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({ ...config, max: 10 });
  // An idle pooled connection the server drops must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const queryable = (target: { query: (sql: string, params?: unknown[]) => Promise<{ rows: unknown[] }> }): Queryable => ({
    query: async <Row>(sql: string, params: readonly unknown[] = []) => (await target.query(sql, [...params])).rows as Row[],
    // Without parameters node-postgres uses the simple protocol, which runs several statements.
    async exec(sql) { await target.query(sql); },
  });
  return {
    kind: 'postgres',
    description: describePostgresUrl(url),
    ...queryable(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(queryable(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async listen(channel, onNotify, onResume) {
      let stopped = false;
      let client: InstanceType<typeof pg.Client> | undefined;
      let retry: NodeJS.Timeout | undefined;
      const connect = async (): Promise<void> => {
        const next = new pg.Client({ ...config, application_name: listenApplication(schema) });
        next.on('notification', (message) => { if (message.channel === channel) onNotify(message.payload ?? ''); });
        // A terminated backend, a restarted server or a cut network: listen again on a new connection.
        next.on('error', () => undefined);
        next.on('end', () => { if (!stopped && client === next) reconnect(); });
        client = next;
        await next.connect();
        await next.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
      };
      const reconnect = () => {
        client = undefined;
        retry = setTimeout(() => {
          retry = undefined;
          if (stopped) return;
          connect().then(() => { if (stopped) void client?.end(); else onResume?.(); }, () => {
            const failed = client;
            void failed?.end().catch(() => undefined);
            if (!stopped && client === failed) reconnect();
          });
        }, LISTEN_RETRY_MS);
        retry.unref();
      };
      await connect();
      return async () => {
        stopped = true;
        if (retry) clearTimeout(retry);
        await client?.end().catch(() => undefined);
      };
    },
    async close() { await pool.end(); },
  };
}
