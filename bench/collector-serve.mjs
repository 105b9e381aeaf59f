// Runs the collector (compiled from src/ by collector-build.mjs) on node:http in its own process,
// for the kill -9 test and the benchmarks. Configured by the FEEDPULSE_* environment; extra
// createCollector options as JSON in argv[2]. Prints one line `{"port":N}` once listening.
// SIGTERM: graceful close (stop accepting, finish in flight, flush, close the sink).
import { createServer } from 'node:http';
import { buildCollector } from './collector-build.mjs';

const { createCollector } = await import(await buildCollector());
const extra = process.argv[2] ? JSON.parse(process.argv[2]) : {};
const collector = createCollector({ log: process.env.FEEDPULSE_LOG === 'on', ...extra });
const server = createServer(collector);
server.keepAliveTimeout = 30_000;
await collector.ready;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port, pid: process.pid })}\n`);
});
process.on('SIGTERM', async () => {
  server.close();
  await collector.close();
  server.closeAllConnections();
  process.exit(0);
});
