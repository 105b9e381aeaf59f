#!/usr/bin/env node
// Export of the responses inbox: N responses (default 1,000,000, one INSERT … SELECT
// generate_series) in the embedded database and in PostgreSQL (when one answers), then
// GET /dashboard/api/responses?format=csv and ?format=ndjson from the demo server, read to the end by
// an HTTP client that discards the bytes. Reported per database and format: rows, MB, seconds,
// rows/s, time to the first byte, and the process's peak RSS during the export (sampled every 20 ms)
// against its RSS before.
// In-process (server, embedded database and client), from dist/ (npm run build).
//
//   node bench/responses-export.mjs [--rows 1000000] [--quick] [--postgres postgres://…] [--schema name]
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, quick: { type: 'boolean', default: false }, postgres: { type: 'string' }, schema: { type: 'string' } },
});
const rows = args.quick ? 20_000 : Number(args.rows);
const postgresUrl = args.postgres ?? process.env.FEEDPULSE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
if (!existsSync(join(root, 'dist/consumer.js'))) { console.error('bench: run `npm run build` first (dist/consumer.js is missing)'); process.exit(1); }
const { startFeedpulseServer } = await import(join(root, 'dist/consumer.js'));

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(0);

async function fill(db) {
  const t0 = performance.now();
  // Comments of 20–120 characters, a page, a language and a sentiment: what a real inbox holds.
  await db.query(
    `INSERT INTO fp_responses (id, project, at, received_at, scale, score, comment, path, url, language, sentiment, anonymous_id, session_id)
     SELECT 'bench-' || n, 'shop', now() - n * interval '1 second', now(), 'stars', 1 + n % 5,
            CASE WHEN n % 3 = 0 THEN NULL ELSE left(repeat('slow checkout, refund ' || n || ' ', 6), 20 + n % 100) END,
            '/product/' || (n % 500), 'https://shop.example/product/' || (n % 500), 'en', (n % 7) - 3,
            'anon-' || (n % 100000), 'sess-' || (n % 200000)
     FROM generate_series(1, $1::int) AS n`,
    [rows],
  );
  return (performance.now() - t0) / 1000;
}

/** Reads the export to its end; bytes, seconds, milliseconds to the first byte and the peak RSS seen meanwhile. */
function download(url) {
  return new Promise((resolve, reject) => {
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
    const t0 = performance.now();
    get(url, (res) => {
      if (res.statusCode !== 200) { clearInterval(sampler); reject(new Error(`export answered ${res.statusCode}`)); return; }
      let bytes = 0;
      let lines = 0;
      let firstByte;
      res.on('data', (chunk) => { firstByte ??= performance.now() - t0; bytes += chunk.length; for (const b of chunk) if (b === 10) lines++; });
      res.on('end', () => { clearInterval(sampler); resolve({ bytes, lines, seconds: (performance.now() - t0) / 1000, firstByteMs: firstByte ?? NaN, peak }); });
      res.on('error', (err) => { clearInterval(sampler); reject(err); });
    }).on('error', reject);
  });
}

async function measure(name, choice) {
  const dataDir = mkdtempSync(join(tmpdir(), 'fp-bench-export-srv-'));
  let server;
  try {
    // The server opens the analysis database itself: embedded in its data folder, or PostgreSQL.
    server = await startFeedpulseServer({ port: 0, host: '127.0.0.1', dataDir, database: choice.url ? { url: choice.url, schema: choice.schema } : undefined, collector: { log: false, rateLimit: false } }, {});
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    return [{ name, skipped: err.message.split('\n')[0] }];
  }
  const db = server.db;
  const out = [];
  try {
    const fillSeconds = await fill(db);
    for (const format of ['csv', 'ndjson']) {
      global.gc?.();
      const before = process.memoryUsage().rss;
      const r = await download(`${server.url.replace('localhost', '127.0.0.1')}/dashboard/api/responses?format=${format}`);
      const got = format === 'csv' ? r.lines - 1 : r.lines;
      // \r\n inside a quoted comment would count twice; the generated comments have none.
      if (got !== rows) throw new Error(`${name} ${format}: ${got} rows exported, ${rows} expected`);
      // Each figure as soon as it is measured (stderr), so a run cut short still tells what it got.
      console.error(`${name} ${format}: ${got} rows in ${r.seconds.toFixed(1)} s, first byte ${r.firstByteMs.toFixed(0)} ms, peak RSS ${mb(r.peak)} MB (before ${mb(before)} MB), insert ${fillSeconds.toFixed(1)} s`);
      out.push({ name, format, rows: got, megabytes: mb(r.bytes), seconds: r.seconds.toFixed(1), rowsPerSecond: Math.round(got / r.seconds), firstByteMs: r.firstByteMs.toFixed(0), rssBefore: mb(before), rssPeak: mb(r.peak), fillSeconds: fillSeconds.toFixed(1) });
    }
  } finally {
    if (choice.url) await db.query(`DROP SCHEMA IF EXISTS ${choice.schema} CASCADE`).catch(() => undefined);
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return out;
}

const results = [
  ...await measure('embedded (PGlite)', {}),
  ...await measure('PostgreSQL', { url: postgresUrl, schema: args.schema ?? `fpbench_export_${process.pid}` }),
];
console.log(`## Export of ${rows.toLocaleString('en-US')} responses\n`);
console.log('| database | format | rows | MB | seconds | rows/s | first byte (ms) | RSS before (MB) | peak RSS (MB) | insert (s) |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  if (r.skipped) console.log(`| ${r.name} | – | not measured: ${r.skipped} | | | | | | | |`);
  else console.log(`| ${r.name} | ${r.format} | ${r.rows.toLocaleString('en-US')} | ${r.megabytes} | ${r.seconds} | ${r.rowsPerSecond.toLocaleString('en-US')} | ${r.firstByteMs} | ${r.rssBefore} | ${r.rssPeak} | ${r.fillSeconds} |`);
}
console.log('\nGET /dashboard/api/responses?format=… on the demo server, read to the end by an HTTP client in the same process; keyset batches of 1,000 rows, written as they come. "insert": the one INSERT … SELECT generate_series that made the rows.');
