// The database layer on both databases: migrations run once (also when two openers race), an
// idempotent insert reports whether it inserted, a failed transaction leaves nothing, and NOTIFY
// reaches a listener; a PostgreSQL that cannot be used is named by its setting.
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DATABASES, POSTGRES_URL, type TestDatabase } from '../helpers/database';
import { openDatabase } from '../../src/consumer/db/open';
import { MIGRATIONS } from '../../src/consumer/db/schema';
import type { Database } from '../../src/consumer/db/database';

describe.each(DATABASES)('the analysis database ($name)', (kind) => {
  let test: TestDatabase | undefined;
  const opened: Database[] = [];
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
    await test?.cleanup();
    test = undefined;
  });
  const open = async (): Promise<Database> => { const db = await test!.open(); opened.push(db); return db; };

  it('applies every migration once, however often it is opened', async () => {
    test = await kind.create('dbopen');
    const first = await open();
    await first.close();
    opened.length = 0;
    const db = await open();
    const rows = await db.query<{ version: number }>('SELECT version FROM fp_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('an idempotent insert tells whether it inserted, and a failed transaction leaves nothing', async () => {
    test = await kind.create('dbtx');
    const db = await open();
    const insert = 'INSERT INTO fp_seen (id) VALUES ($1) ON CONFLICT (id) DO NOTHING RETURNING id';
    expect(await db.query(insert, ['evt-1'])).toEqual([{ id: 'evt-1' }]);
    expect(await db.query(insert, ['evt-1'])).toEqual([]);
    await expect(db.transaction(async (tx) => {
      await tx.query(insert, ['evt-2']);
      throw new Error('worker died mid-batch');
    })).rejects.toThrow('worker died mid-batch');
    const [{ count }] = await db.query<{ count: number }>('SELECT count(*) AS count FROM fp_seen');
    expect(count).toBe(1);
  });

  it('a NOTIFY sent in a transaction reaches a listener after commit', async () => {
    test = await kind.create('dbnotify');
    const db = await open();
    const got: string[] = [];
    const stop = await db.listen('fp_test_changed', (payload) => got.push(payload));
    await db.transaction(async (tx) => { await tx.query("SELECT pg_notify('fp_test_changed', $1)", ['batch 1']); });
    const deadline = Date.now() + 5000;
    while (!got.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await stop();
    expect(got).toEqual(['batch 1']);
  });
});

describe('the PostgreSQL schema', () => {
  it('two workers starting at once both find the schema ready', async () => {
    const test = await DATABASES[1]!.create('dbrace');
    try {
      const [a, b] = await Promise.all([test.open(), test.open()]);
      const [{ count }] = await a.query<{ count: number }>('SELECT count(*) AS count FROM fp_migrations');
      expect(count).toBe(MIGRATIONS.length);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await test.cleanup();
    }
  });
});

describe('the embedded database', () => {
  // A second PGlite on the same files would corrupt them: a second process is refused, by name.
  const built = existsSync('dist/consumer.js');
  it.skipIf(!built)(`is opened by one process at a time, with an error that says what to do instead${built ? '' : ' — skipped: dist/consumer.js not built (npm run build)'}`, async () => {
    const test = await DATABASES[0]!.create('dblock');
    const script = `
      const { openDatabase } = await import(${JSON.stringify(join(process.cwd(), 'dist/consumer.js'))});
      try { const db = await openDatabase({ dataDir: process.argv[1] }); await db.close(); console.log('OPENED'); }
      catch (err) { console.log('REFUSED ' + err.message); }`;
    const child = (dir: string) => new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--input-type=module', '-e', script, dir], { timeout: 60_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim())));
    });
    try {
      const db = await test.open();
      await db.query('INSERT INTO fp_seen (id) VALUES ($1)', ['evt-kept']);
      const refused = await child(test.choice.dataDir);
      expect(refused).toMatch(/^REFUSED the embedded database in .* is being written by process \d+; .*FEEDPULSE_DATABASE_URL/);
      // The first process goes on unharmed.
      expect(await db.query('SELECT id FROM fp_seen')).toEqual([{ id: 'evt-kept' }]);
      await db.close();
      expect(await child(test.choice.dataDir)).toBe('OPENED');
    } finally {
      await test.cleanup();
    }
  }, 120_000);
});

describe('a PostgreSQL that cannot be used', () => {
  // `feedpulse` prints the message as its one line: it must say which setting to look at, without
  // the password, and keep the code its exit status is chosen by (ECONNREFUSED: 1, may pass).
  it('a server that is down: the error names FEEDPULSE_DATABASE_URL and keeps ECONNREFUSED', async () => {
    const closed = await new Promise<number>((ok) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address() as AddressInfo; s.close(() => ok(port)); }); });
    const url = `postgres://feedpulse:s3cret@127.0.0.1:${closed}/test`;
    const err = await openDatabase({ url, dataDir: 'unused' }).then(() => undefined, (e: unknown) => e as Error & { code?: string });
    expect(err?.message).toBe(`FEEDPULSE_DATABASE_URL (postgres://feedpulse:***@127.0.0.1:${closed}/test): connect ECONNREFUSED 127.0.0.1:${closed}`);
    expect(err?.code).toBe('ECONNREFUSED');
  });

  it('a database that does not exist: named the same way, with PostgreSQL\'s code', async () => {
    const url = new URL(POSTGRES_URL);
    url.pathname = '/feedpulse_no_such_database';
    const err = await openDatabase({ url: url.toString(), dataDir: 'unused' }).then(() => undefined, (e: unknown) => e as Error & { code?: string });
    expect(err?.message).toMatch(/^FEEDPULSE_DATABASE_URL \(postgres:\/\/[^)]*\/feedpulse_no_such_database\): database "feedpulse_no_such_database" does not exist$/);
    expect(err?.code).toBe('3D000');
  });

  it('a value that is no URL: the message does not invent a scheme', async () => {
    await expect(openDatabase({ url: 'not a url', dataDir: 'unused' })).rejects.toThrow(/^FEEDPULSE_DATABASE_URL must start with postgres:\/\/ or postgresql:\/\/, got an unparsable URL$/);
  });
});
