// The analysis databases the tests run on: the embedded one (PGlite, in a temp folder) and the
// machine's PostgreSQL, where each test gets its own schema, dropped afterwards, so runs never see
// each other's rows. Each test that touches the database runs on both (`DATABASES`).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customAlphabet } from 'nanoid';
import pg from 'pg';
import { openDatabase } from '../../src/consumer/db/open';
import type { Database } from '../../src/consumer/db/database';

export const POSTGRES_URL = process.env.FEEDPULSE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const suffix = customAlphabet('abcdefghijklmnopqrstuvwxyz0123456789', 10);

export interface TestDatabase {
  /** Where the database is, as openDatabase / startFeedpulseServer take it. */
  choice: { url?: string; schema?: string; dataDir: string };
  open(): Promise<Database>;
  /** Deletes the schema or folder (and whatever it holds). */
  cleanup(): Promise<void>;
}

export interface DatabaseCase { name: 'embedded' | 'PostgreSQL'; create(prefix: string): Promise<TestDatabase> }

export const DATABASES: DatabaseCase[] = [
  {
    name: 'embedded',
    async create(prefix) {
      const dataDir = await mkdtemp(join(tmpdir(), `fp-db-${prefix}-`));
      return {
        choice: { dataDir },
        open: () => openDatabase({ dataDir }),
        cleanup: () => rm(dataDir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'PostgreSQL',
    async create(prefix) {
      const schema = `fptest_${prefix.replace(/[^a-z0-9_]/g, '_')}_${suffix()}`;
      const dataDir = await mkdtemp(join(tmpdir(), `fp-db-${prefix}-`));
      return {
        choice: { url: POSTGRES_URL, schema, dataDir },
        open: () => openDatabase({ url: POSTGRES_URL, schema, dataDir }),
        async cleanup() {
          const client = new pg.Client({ connectionString: POSTGRES_URL });
          await client.connect();
          try { await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); } finally { await client.end(); }
          await rm(dataDir, { recursive: true, force: true });
        },
      };
    },
  },
];
