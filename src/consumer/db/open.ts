// Opens the analysis database: PostgreSQL when a URL is given, else the embedded one in `dataDir`.
// The schema is brought up to date before the database is handed out (schema.ts).
import { mkdir } from 'node:fs/promises';
import type { Database } from './database';
import { openEmbedded } from './embedded';
import { openPostgres } from './postgres';
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
  let db: Database;
  if (choice.url) {
    db = await openPostgres(choice.url, choice.schema);
  } else {
    await mkdir(choice.dataDir, { recursive: true });
    db = await openEmbedded(choice.dataDir);
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}
