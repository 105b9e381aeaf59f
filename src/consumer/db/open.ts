// Opens the analysis database: PostgreSQL when a URL is given, else the embedded one in `dataDir`.
// The schema is brought up to date before the database is handed out (schema.ts).
import { mkdir } from 'node:fs/promises';
import type { Database } from './database';
import { openEmbedded } from './embedded';
import { describePostgresUrl, openPostgres } from './postgres';
import { migrate } from './schema';

export interface DatabaseChoice {
  /** postgres://… (env FEEDPULSE_DATABASE_URL). Unset: the embedded database in `dataDir`. */
  url?: string;
  /** Folder of the embedded database (FEEDPULSE_DATA/db). */
  dataDir: string;
  /** PostgreSQL only: the schema holding Feedpulse's tables (default `public`); created if missing. */
  schema?: string;
}

export async function openDatabase(choice: DatabaseChoice): Promise<Database> {
  if (!choice.url) {
    await mkdir(choice.dataDir, { recursive: true });
    return migrated(await openEmbedded(choice.dataDir));
  }
  const url = choice.url;
  try {
    return await migrated(await openPostgres(url, choice.schema));
  } catch (err) {
    throw naming(err, url);
  }
}

async function migrated(db: Database): Promise<Database> {
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}

/**
 * A server that is down or refuses the login otherwise stops the start with pg's bare words
 * ("connect ECONNREFUSED 127.0.0.1:5432", "database \"x\" does not exist"), which do not say which
 * setting to look at. The code stays, so the command's exit status still tells outside from setting.
 */
function naming(err: unknown, url: string): unknown {
  if (!(err instanceof Error) || err.message.startsWith('FEEDPULSE_DATABASE_URL')) return err;
  const code = (err as { code?: unknown }).code;
  return Object.assign(new Error(`FEEDPULSE_DATABASE_URL (${describePostgresUrl(url)}): ${err.message}`, { cause: err }), code === undefined ? {} : { code });
}
